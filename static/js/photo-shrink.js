/* Photos shrink on the phone before they are sent: every <input type="file"
   data-shrink> replaces each chosen photo by a JPEG at most 1600 px on its long
   side and about 300 KB (lower quality, then smaller, until it fits), so a
   listing can be made over a slow connection. Without canvas or DataTransfer
   the photo goes as chosen, and the server still checks it. */
(function () {
  "use strict";
  var MAX_SIDE = 1600;
  var TARGET = 300 * 1024;

  function toBlob(canvas, quality) {
    return new Promise(function (resolve) {
      canvas.toBlob(resolve, "image/jpeg", quality);
    });
  }

  function draw(bitmap, side) {
    var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    var canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    var context = canvas.getContext("2d");
    context.fillStyle = "#fff"; /* a transparent PNG's background */
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return canvas;
  }

  async function shrink(file) {
    if (!/^image\//.test(file.type) || !window.createImageBitmap) return file;
    var bitmap = await createImageBitmap(file);
    var side = MAX_SIDE;
    var blob = null;
    for (var round = 0; round < 6; round++) {
      var canvas = draw(bitmap, side);
      var qualities = [0.85, 0.75, 0.65, 0.55];
      for (var i = 0; i < qualities.length; i++) {
        blob = await toBlob(canvas, qualities[i]);
        if (blob && blob.size <= TARGET) break;
      }
      if (blob && blob.size <= TARGET) break;
      side = Math.round(side * 0.8);
    }
    if (!blob || (blob.size >= file.size && Math.max(bitmap.width, bitmap.height) <= MAX_SIDE)) {
      return file;
    }
    var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
    return new File([blob], name, { type: "image/jpeg", lastModified: Date.now() });
  }

  window.photoShrink = shrink;

  document.addEventListener("change", async function (event) {
    var input = event.target;
    if (!input.matches || !input.matches('input[type="file"][data-shrink]')) return;
    if (!input.files || !input.files.length || !window.DataTransfer) return;
    var form = input.form;
    var buttons = form ? form.querySelectorAll('button[type="submit"]') : [];
    buttons.forEach(function (b) { b.disabled = true; });
    input.setAttribute("aria-busy", "true");
    try {
      var chosen = new DataTransfer();
      for (var i = 0; i < input.files.length; i++) {
        chosen.items.add(await shrink(input.files[i]));
      }
      input.files = chosen.files;
      input.dataset.shrunk = String(input.files[0].size);
    } catch (error) {
      /* Keep the photo as chosen: the server checks it. */
    } finally {
      input.removeAttribute("aria-busy");
      buttons.forEach(function (b) { b.disabled = false; });
    }
  });
})();
