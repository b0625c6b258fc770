"""Conversations between a person and their coaches: messages, attachments, quick replies, appointments."""
