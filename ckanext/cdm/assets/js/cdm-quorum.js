/* The quorum line follows the attendance boxes while they are ticked, before
   saving. The server renders the line of each number of members present in a
   <template> (cdm_session_show's quorum_previews): no rule here, and saving
   the attendance is what counts (the action judges).
   Usage: <form data-module="cdm-quorum" data-module-target="quorum">
            <template data-present="3" data-reached="true">…</template>… */
ckan.module("cdm-quorum", function () {
  return {
    options: { target: "quorum" },
    initialize: function () {
      var form = this.el[0];
      var line = document.getElementById(this.options.target);
      if (!line) {
        return;
      }
      var saved = { html: line.innerHTML, className: line.className };
      var count = function () {
        return form.querySelectorAll('input[name="attendance"]:checked').length;
      };
      var initial = count();
      form.addEventListener("change", function (event) {
        if (event.target.name !== "attendance") {
          return;
        }
        var present = count();
        if (present === initial) {
          line.innerHTML = saved.html;
          line.className = saved.className;
          return;
        }
        var preview = form.querySelector('template[data-present="' + present + '"]');
        if (!preview) {
          return;
        }
        line.innerHTML = preview.innerHTML;
        line.className =
          "cdm-quorum cdm-quorum--" + (preview.dataset.reached === "true" ? "reached" : "missing");
      });
    },
  };
});
