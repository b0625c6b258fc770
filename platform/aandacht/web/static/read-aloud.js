/* Read aloud: a button reads the page's text with the phone's own voice (Web Speech API).
   The button stays hidden where the browser cannot speak. Nothing leaves the phone. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
  var synth = window.speechSynthesis;
  var lang = document.documentElement.lang || "nl";

  function voiceFor(language) {
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().indexOf(language) === 0) return voices[i];
    }
    return null;
  }

  function show(button, speaking) {
    button.setAttribute("aria-pressed", speaking ? "true" : "false");
    button.querySelector(".read-aloud__start").hidden = speaking;
    button.querySelector(".read-aloud__stop").hidden = !speaking;
  }

  document.querySelectorAll("[data-read-aloud]").forEach(function (button) {
    var target = document.getElementById(button.getAttribute("data-read-aloud"));
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      if (synth.speaking || synth.pending) {
        synth.cancel();
        show(button, false);
        return;
      }
      var utterance = new SpeechSynthesisUtterance(target.innerText);
      utterance.lang = lang;
      utterance.rate = 0.9;
      var voice = voiceFor(lang);
      if (voice) utterance.voice = voice;
      utterance.onend = utterance.onerror = function () { show(button, false); };
      show(button, true);
      synth.speak(utterance);
    });
  });
  window.addEventListener("pagehide", function () { synth.cancel(); });
})();
