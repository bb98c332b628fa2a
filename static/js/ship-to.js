/* Checkout: choosing another address shows the shipping fees for it (without
   this, the page's links to each address do the same). */
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("place-order") || document.getElementById("place-unit-order");
  if (!form) return;
  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.name !== "address" || !input.checked) return;
    var url = new URL(window.location.href);
    if (url.searchParams.get("address") === input.value) return;
    url.searchParams.set("address", input.value);
    window.location.assign(url.toString());
  });
});
