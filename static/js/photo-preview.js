/* Show the chosen photo before it is uploaded (works without it too). */
document.addEventListener("DOMContentLoaded", function () {
  var input = document.querySelector('input[type="file"][name="photo"]');
  var preview = document.getElementById("photo-preview");
  if (!input || !preview || !window.URL) return;
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    if (!file) { preview.hidden = true; return; }
    preview.src = URL.createObjectURL(file);
    preview.hidden = false;
  });
});
