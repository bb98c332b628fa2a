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
