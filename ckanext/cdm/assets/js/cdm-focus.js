/* Give focus to an element when the page opens: the error summary of a refused
   form (GOV.UK / DSFR pattern), so that screen readers announce it first.
   Usage: <div tabindex="-1" data-module="cdm-focus">…</div> */
ckan.module("cdm-focus", function () {
  return {
    initialize: function () {
      this.el[0].focus();
    },
  };
});
