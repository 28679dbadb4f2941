// Drag-and-drop upload of many files with per-file progress (XHR upload events). No inline scripts (CSP).
// Without this script the form still works: its file inputs post normally.
(function () {
  "use strict";

  function humanSize(bytes) {
    if (bytes >= 1048576) return (bytes / 1048576).toFixed(1) + " MB";
    if (bytes >= 1024) return Math.round(bytes / 1024) + " KB";
    return bytes + " B";
  }

  function setup(form) {
    var zone = form.querySelector("[data-dropzone]");
    var list = form.querySelector("[data-upload-list]");
    var errorBox = form.querySelector("[data-upload-errors]");
    var submit = form.querySelector("[data-submit]");
    var inputs = form.querySelectorAll("input[type=file][name=files]");
    var queue = [];

    function add(files) {
      Array.prototype.forEach.call(files, function (file) {
        var item = { file: file, row: document.createElement("li") };
        var name = document.createElement("span");
        name.className = "name";
        name.textContent = file.name + "（" + humanSize(file.size) + "）";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "button small";
        remove.textContent = "移除";
        remove.addEventListener("click", function () {
          queue.splice(queue.indexOf(item), 1);
          item.row.remove();
        });
        item.progress = document.createElement("progress");
        item.progress.max = 100;
        item.progress.value = 0;
        item.state = document.createElement("span");
        item.state.className = "state";
        item.state.textContent = "待上传";
        item.row.append(name, remove, item.progress, item.state);
        list.append(item.row);
        queue.push(item);
      });
    }

    inputs.forEach(function (input) {
      input.addEventListener("change", function () {
        add(input.files);
        input.value = "";
      });
    });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("dragging");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function () { zone.classList.remove("dragging"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files) add(event.dataTransfer.files);
    });

    function showErrors(errors) {
      var messages = [];
      Object.keys(errors).forEach(function (key) { messages = messages.concat(errors[key]); });
      errorBox.textContent = "";
      messages.forEach(function (text) {
        var line = document.createElement("div");
        line.textContent = text;
        errorBox.append(line);
      });
      errorBox.hidden = messages.length === 0;
      queue.forEach(function (item) {
        var own = messages.filter(function (text) { return text.indexOf(item.file.name) !== -1; });
        item.row.classList.toggle("refused", own.length > 0);
        item.row.classList.remove("done");
        item.state.textContent = own.length ? own.join(" ") : "未保存：请先处理上面的问题后重新提交";
        item.progress.value = 0;
      });
      errorBox.scrollIntoView({ block: "center" });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      data.delete("files");
      var offsets = [];
      var total = 0;
      queue.forEach(function (item) {
        data.append("files", item.file, item.file.name);
        offsets.push([total, item.file.size]);
        total += item.file.size;
        item.state.textContent = "上传中…";
      });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || window.location.href);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable || !total) return;
        // The multipart body carries the files in order: the share sent so far maps onto each file in turn.
        var sent = event.loaded / event.total * total;
        queue.forEach(function (item, index) {
          var start = offsets[index][0], size = offsets[index][1] || 1;
          item.progress.value = Math.max(0, Math.min(100, (sent - start) / size * 100));
        });
      });
      xhr.addEventListener("load", function () {
        submit.disabled = false;
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (error) { body = null; }
        if (body && body.ok) {
          queue.forEach(function (item) {
            item.progress.value = 100;
            item.row.classList.add("done");
            item.state.textContent = "已上传";
          });
          window.location.assign(body.redirect);
        } else if (body && body.errors) {
          showErrors(body.errors);
        } else {
          showErrors({ __all__: ["上传失败（" + xhr.status + "），请稍后重试。"] });
        }
      });
      xhr.addEventListener("error", function () {
        submit.disabled = false;
        showErrors({ __all__: ["网络中断，文件未保存，请重新提交。"] });
      });
      submit.disabled = true;
      xhr.send(data);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-upload-form]").forEach(setup);
  });
})();
