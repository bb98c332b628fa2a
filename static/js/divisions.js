/* The address form's province → city → district lists: choosing one fills
   the next from /divisions/<code>/ (without this, the form comes back with the
   next list filled). */
document.addEventListener("DOMContentLoaded", function () {
  var lists = document.querySelectorAll("select[data-divisions]");
  Array.prototype.forEach.call(lists, function (list) {
    var within = list.getAttribute("data-within");
    if (!within) return;
    var parent = list.form && list.form.querySelector('select[data-divisions="' + within + '"]');
    if (!parent) return;
    parent.addEventListener("change", function () {
      var first = list.options[0];
      list.length = 1;
      list.dispatchEvent(new Event("change"));
      if (!parent.value) return;
      fetch("/divisions/" + encodeURIComponent(parent.value) + "/", {credentials: "same-origin"})
        .then(function (response) { return response.ok ? response.json() : {divisions: []}; })
        .then(function (data) {
          data.divisions.forEach(function (division) {
            list.add(new Option(division.name, division.code));
          });
          list.disabled = data.divisions.length === 0;
          first.selected = true;
        })
        .catch(function () { list.disabled = false; });
    });
  });
});
