// The reply form: offer only the reasons of the chosen outcome (each option's value names its
// outcome, e.g. 「不予公开-1」, and options sit in one <optgroup> per outcome). The server checks
// the pair again (foi.forms.ReplyForm), so this is a convenience, not the rule.
(function () {
  "use strict";
  function bind(outcome, reason) {
    function update() {
      var label = outcome.options[outcome.selectedIndex]
        ? outcome.options[outcome.selectedIndex].text
        : "";
      var groups = reason.querySelectorAll("optgroup");
      for (var i = 0; i < groups.length; i++) {
        var show = !outcome.value || groups[i].label === label;
        groups[i].hidden = !show;
        groups[i].disabled = !show;
      }
      var chosen = reason.options[reason.selectedIndex];
      if (chosen && chosen.parentNode.tagName === "OPTGROUP" && chosen.parentNode.disabled) {
        reason.value = "";
      }
    }
    outcome.addEventListener("change", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var outcome = document.getElementById("id_draft_reply_outcome");
    var reason = document.getElementById("id_draft_reply_outcome_reason");
    if (outcome && reason) {
      bind(outcome, reason);
    }
  });
})();
