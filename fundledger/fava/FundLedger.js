// The desk (记账) of fundledger's Fava extension: preview and submit the entry form through
// the extension's entry endpoint (fava/desk.py) and show its Chinese errors beside the fields.
// Nothing is written by this script itself: the endpoint checks and writes, as `fundledger add`.

function show(form, result, body, preview) {
  const errors = result.querySelector("[data-fl=desk-errors]");
  const status = result.querySelector("[data-fl=desk-status]");
  const text = result.querySelector("[data-fl=desk-preview]");
  errors.textContent = "";
  status.textContent = "";
  status.className = "";
  text.textContent = "";
  for (const el of form.querySelectorAll("[data-fl-errors]")) el.textContent = "";
  for (const el of form.querySelectorAll(".fl-field")) el.classList.remove("fl-bad");
  if (body.ok) {
    status.className = "ok";
    // several files (entries of several years): each named, each one's text under its name
    const files = body.files || [{file: body.file, line: body.line, text: body.text}];
    const where = files.map((f) => (preview ? f.file : `${f.file}:${f.line}`)).join("、");
    status.textContent = preview
      ? `预览：将写入 ${where}（检查通过，尚未写入）`
      : `已写入 ${where}` + (body.rows ? `，共 ${body.rows} 笔` : "");
    text.textContent = files.length > 1
      ? files.map((f) => `; ${f.file}\n${f.text}`).join("\n")
      : body.text;
    return;
  }
  const fields = body.fields || {};
  const placed = new Set();
  for (const [name, messages] of Object.entries(fields)) {
    const slot = form.querySelector(`[data-fl-errors="${name}"]`);
    if (!slot) continue;
    slot.textContent = messages.join("；");
    slot.closest(".fl-field").classList.add("fl-bad");
    messages.forEach((m) => placed.add(m));
  }
  for (const message of body.errors || []) {
    // an error naming what was typed in a field belongs beside that field too
    for (const input of form.querySelectorAll("input[name], select[name], textarea[name]")) {
      const value = (input.value || "").trim();
      if (input.type === "hidden" || input.type === "checkbox" || value.length < 2) continue;
      if (input.name === "date" || !message.includes(value)) continue;
      const slot = form.querySelector(`[data-fl-errors="${input.name}"]`);
      if (slot && !slot.textContent.includes(message)) {
        slot.textContent += (slot.textContent ? "；" : "") + message;
        slot.closest(".fl-field").classList.add("fl-bad");
      }
    }
    const li = document.createElement("li");
    li.textContent = message;
    errors.append(li);
  }
  status.textContent = "未写入：请按上面的提示改正后再提交。";
}

async function send(form, preview) {
  const result = form.parentElement.querySelector("[data-fl=desk-result]");
  const data = new URLSearchParams(new FormData(form));
  if (preview) data.set("preview", "1");
  const response = await fetch(form.action, { method: "POST", body: data,
                                               headers: { Accept: "application/json" } });
  let body;
  try {
    body = await response.json();
  } catch {
    body = { ok: false, errors: [`服务器答复 ${response.status}：可能是只读实例，或登录已失效`] };
  }
  show(form, result, body, preview);
  form.dataset.flDone = body.ok ? (preview ? "preview" : "written") : "refused";
}

export default {
  onExtensionPageLoad() {
    for (const form of document.querySelectorAll("form.fl-desk")) {
      if (form.dataset.flReady) continue;
      form.dataset.flReady = "1";
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        send(form, false);
      });
      form.querySelector("[data-fl-action=preview]").addEventListener("click", () => send(form, true));
    }
  },
};
