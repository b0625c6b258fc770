"""The web faces: pages served to residents, coaches and tenant administrators."""
