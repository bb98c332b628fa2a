// Report tables: a click on a column heading sorts the rows by that column
// (numbers as numbers, text as text); a second click reverses the order.
document.querySelectorAll("table.sortable").forEach((table) => {
  table.querySelectorAll("th button.sort").forEach((button, index) => {
    button.addEventListener("click", () => {
      const th = button.closest("th");
      const numeric = th.dataset.kind !== "text";
      const descending = th.getAttribute("aria-sort") !== "descending";
      table.querySelectorAll("th").forEach((other) => other.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows).filter((row) => row.cells.length > index);
      const key = (row) => {
        const raw = row.cells[index].dataset.value ?? "";
        return numeric ? parseFloat(raw === "True" ? 1 : raw === "False" ? 0 : raw) || 0 : raw;
      };
      rows.sort((a, b) => {
        const [x, y] = [key(a), key(b)];
        const order = numeric ? x - y : String(x).localeCompare(String(y), "zh");
        return descending ? -order : order;
      });
      rows.forEach((row) => body.appendChild(row));
    });
  });
});
