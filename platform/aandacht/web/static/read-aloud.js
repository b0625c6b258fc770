/* Read aloud: a button reads text with the phone's own voice (Web Speech API). Nothing leaves the phone.
   Each button names the element it reads (data-read-aloud="<id>"): the whole page, or one card.
   With text selected, the button reads the selection instead, so any text can be read aloud.
   Buttons stay hidden where the browser cannot speak; buttons that htmx adds later are shown too. */
(function () {
  "use strict";
  if (!("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
  var synth = window.speechSynthesis;
  var lang = document.documentElement.lang || "nl";
  var speaking = null;

  function voiceFor(language) {
    var voices = synth.getVoices();
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().indexOf(language) === 0) return voices[i];
    }
    return null;
  }

  function show(button, on) {
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.querySelector(".read-aloud__start").hidden = on;
    button.querySelector(".read-aloud__stop").hidden = !on;
  }

  function reveal(root) {
    var buttons = root.querySelectorAll ? root.querySelectorAll("[data-read-aloud]") : [];
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }

  function textFor(button) {
    var selected = window.getSelection ? String(window.getSelection()).trim() : "";
    if (selected) return selected;
    var target = document.getElementById(button.getAttribute("data-read-aloud"));
    return target ? target.innerText.trim() : "";
  }

  function stop() {
    synth.cancel();
    if (speaking) show(speaking, false);
    speaking = null;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-read-aloud]") : null;
    if (!button) return;
    var wasSpeaking = button === speaking;
    stop();
    if (wasSpeaking) return;
    var text = textFor(button);
    if (!text) return;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    utterance.rate = 0.9;
    var voice = voiceFor(lang);
    if (voice) utterance.voice = voice;
    utterance.onend = utterance.onerror = function () {
      if (speaking === button) stop();
    };
    speaking = button;
    show(button, true);
    synth.speak(utterance);
  });
  reveal(document);
  document.addEventListener("htmx:afterSwap", function (event) { reveal(event.target); });
  window.addEventListener("pagehide", stop);
})();
