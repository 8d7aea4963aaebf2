/* Give focus to an element when the page opens: the error summary of a refused
   form (GOV.UK / DSFR pattern), so that screen readers announce it first.
   A link of the summary moves the focus to its control: the control itself,
   or the first control of the group it names (a fieldset), its legend in view;
   without this, following a link to a group leaves the focus on the page.
   Usage: <div tabindex="-1" data-module="cdm-focus">…</div> */
ckan.module("cdm-focus", function () {
  var CONTROLS = "input:not([type=hidden]), select, textarea, button";
  return {
    initialize: function () {
      this.el[0].focus();
      this.el.on("click", "a[href^='#']", function (event) {
        var target = document.getElementById(this.getAttribute("href").slice(1));
        if (!target) {
          return;
        }
        var control = target.matches(CONTROLS) ? target : target.querySelector(CONTROLS);
        event.preventDefault();
        (control || target).focus();
        var group = target.closest("fieldset");
        var legend = group && group.querySelector("legend");
        (legend || target).scrollIntoView();
      });
    },
  };
});
