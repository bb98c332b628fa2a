/* Onboarding: show only the household part that applies (the page works without it). */
document.addEventListener("DOMContentLoaded", function () {
  var name = "farmer-household_choice";
  var existing = document.querySelector(".field-existing_household");
  var fresh = document.getElementById("new-household");
  if (!existing || !fresh) return;
  function update() {
    var checked = document.querySelector('input[name="' + name + '"]:checked');
    var useExisting = checked && checked.value === "existing";
    existing.hidden = !useExisting;
    fresh.hidden = useExisting;
  }
  document.querySelectorAll('input[name="' + name + '"]').forEach(function (radio) {
    radio.addEventListener("change", update);
  });
  update();
});

/* A registered (建档立卡) household needs its registration number and year: mark them
   required as soon as that status is chosen (the server checks it either way). */
document.addEventListener("DOMContentLoaded", function () {
  var status = document.getElementById("id_household-status");
  if (!status) return;
  var names = ["registration_number", "registration_year"];
  function update() {
    var registered = status.value === "registered";
    names.forEach(function (name) {
      var input = document.getElementById("id_household-" + name);
      var field = document.querySelector(".field-" + name);
      if (!input || !field) return;
      input.required = registered;
      input.setAttribute("aria-required", registered ? "true" : "false");
      field.classList.toggle("field-required", registered);
    });
  }
  status.addEventListener("change", update);
  update();
});
