// Behaviour every page may use, declared in the markup instead of inline handlers
// (the Content-Security-Policy forbids inline script):
//   <form data-confirm="Question?">  asks before submitting (destructive actions);
//   <select data-autosubmit>         submits its form when the choice changes;
//   <button data-print>              opens the print dialogue;
//   <input data-select>              selects its text on focus (links to copy).
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-autosubmit]")) event.target.form.requestSubmit();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
document.addEventListener("focusin", (event) => {
  if (event.target.matches("input[data-select]")) event.target.select();
});
