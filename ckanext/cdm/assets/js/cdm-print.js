/* A button that prints the page (the print stylesheet makes a clean A4).
   The button is hidden in the HTML and shown here, so that it exists only
   where it works. Usage: <button type="button" data-module="cdm-print" hidden>…</button> */
ckan.module("cdm-print", function () {
  return {
    initialize: function () {
      this.el[0].hidden = false;
      this.el.on("click", function () {
        window.print();
      });
    },
  };
});
