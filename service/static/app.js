// The drafting page: a form built from GET /v1/catalog, and the letter with its guardrail
// report drawn over the text. Plain DOM, no framework; every text is set with textContent.
"use strict";

const state = { catalog: null, request: null, draft: null };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) node.append(child);
  return node;
}

async function api(method, path, body) {
  const headers = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  const key = sessionStorage.getItem("amends-api-key");
  if (key) headers.authorization = `Bearer ${key}`;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data && data.error) || { message: `HTTP ${response.status}` };
    throw Object.assign(new Error(error.message), { details: error.details, code: error.code });
  }
  return data;
}

// ---- the form ---------------------------------------------------------------------------

function fillSelect(select, items, chosen) {
  select.replaceChildren();
  for (const item of items) {
    const option = el("option", { value: item.key, text: item.label, title: item.description });
    if (item.key === chosen) option.selected = true;
    select.append(option);
  }
}

function fillScenarios(select, scenarios) {
  const groups = new Map();
  for (const scenario of scenarios) {
    if (!groups.has(scenario.group)) groups.set(scenario.group, []);
    groups.get(scenario.group).push(scenario);
  }
  const names = { ecommerce: "E-commerce", b2b: "Business clients", sales_marketing: "Sales and marketing", custom: "Other" };
  for (const [group, items] of groups) {
    const optgroup = el("optgroup", { label: names[group] || group });
    for (const item of items) optgroup.append(el("option", { value: item.key, text: item.label }));
    select.append(optgroup);
  }
  select.value = scenarios.some((s) => s.key === "custom") ? "custom" : scenarios[0].key;
}

function describeScenario() {
  const scenario = state.catalog.scenarios.find((s) => s.key === $("scenario").value);
  if (!scenario) return;
  const facts = scenario.facts.length ? ` Usually needs: ${scenario.facts.join(", ")}.` : "";
  $("scenario-help").textContent = `${scenario.description}${facts}`;
  $("audience").value = scenario.audience;
  $("liability").value = scenario.suggested_liability;
}

function addItem(templateId, containerId) {
  const item = $(templateId).content.firstElementChild.cloneNode(true);
  const container = $(containerId);
  item.querySelector(".remove").addEventListener("click", () => {
    item.remove();
    container.querySelector("input, select")?.focus();
  });
  container.append(item);
  item.querySelector("input, select").focus();
  return item;
}

function readItems(containerId, fields) {
  const items = [];
  for (const node of $(containerId).children) {
    const item = {};
    for (const field of fields) {
      const value = node.querySelector(`[data-field="${field}"]`).value.trim();
      if (value) item[field] = value;
    }
    if (Object.keys(item).length) items.push(item);
  }
  return items;
}

function readRequest() {
  const request = { incident: {}, recipient: {}, sender: {} };
  for (const input of $("draft-form").querySelectorAll("[name]")) {
    const value = input.value.trim();
    if (!value) continue;
    const [head, tail] = input.name.split(".");
    if (tail) request[head][tail] = value;
    else request[head] = head === "max_words" ? Number(value) : value;
  }
  request.strategies = [...$("strategies").querySelectorAll("input:checked")].map((i) => i.value);
  request.remedies = readItems("remedies", ["kind", "status", "description", "amount", "code", "date"])
    .filter((r) => r.description || r.amount || r.code || r.date);
  request.prevention = readItems("prevention", ["description", "metric"]);
  return request;
}

async function loadCatalog() {
  state.catalog = await api("GET", "/v1/catalog");
  const c = state.catalog;
  fillScenarios($("scenario"), c.scenarios);
  fillSelect($("audience"), c.audiences, "customer");
  fillSelect($("channel"), c.channels, "email");
  fillSelect($("tone"), c.tones, "professional");
  fillSelect($("liability"), c.liability_postures, "standard");
  fillSelect($("rewrite-tone"), c.tones, "professional");
  fillSelect($("rewrite-channel"), c.channels, "email");
  for (const strategy of c.strategies) {
    const id = `strategy-${strategy.key}`;
    $("strategies").append(
      el("div", { class: "check" },
        el("input", { type: "checkbox", id, value: strategy.key }),
        el("label", { for: id, text: strategy.label, title: strategy.description })),
    );
  }
  for (const operation of c.rewrite_operations.filter((o) => o.key !== "none")) {
    const button = el("button", { type: "button", "data-operation": operation.key, title: operation.description, text: operation.label });
    button.addEventListener("click", () => rewrite(operation.key));
    $("operations").append(button, " ");
  }
  describeScenario();
}

// ---- the letter and its report ----------------------------------------------------------

// Split `text` at every span boundary; each piece knows which spans cover it.
function renderHighlighted(container, text, spans) {
  container.replaceChildren();
  const cuts = new Set([0, text.length]);
  for (const span of spans) {
    cuts.add(Math.max(0, Math.min(span.start, text.length)));
    cuts.add(Math.max(0, Math.min(span.end, text.length)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [from, to] = [points[i], points[i + 1]];
    const piece = text.slice(from, to);
    const covering = spans.filter((s) => s.start <= from && s.end >= to && s.end > s.start);
    const finding = covering.find((s) => s.kind === "finding");
    const element = covering.find((s) => s.kind === "element");
    if (!finding && !element) {
      container.append(piece);
      continue;
    }
    const mark = el("mark", { text: piece });
    const classes = [];
    if (element) {
      classes.push("element", `element-${element.name}`);
      mark.dataset.element = element.name;
    }
    if (finding) {
      classes.push("finding", finding.severity);
      mark.dataset.finding = String(finding.index);
      mark.title = `${finding.rule}: ${finding.message}${finding.suggestion ? ` Try: ${finding.suggestion}` : ""}`;
      mark.setAttribute("aria-describedby", `finding-${finding.index}`);
      if (from === finding.start) mark.id = `finding-mark-${finding.index}`;
      mark.tabIndex = 0;
    } else {
      mark.title = `Evidence of ${element.name}`;
    }
    mark.className = classes.join(" ");
    container.append(mark);
  }
}

function spansFor(report, field) {
  const spans = [];
  report.elements.forEach((element) => {
    const evidence = element.evidence;
    if (element.present && evidence && (evidence.field || "body") === field) {
      spans.push({ kind: "element", name: element.element, start: evidence.start, end: evidence.end });
    }
  });
  report.findings.forEach((finding, index) => {
    if ((finding.field || "body") === field) spans.push({ kind: "finding", index, ...finding });
  });
  return spans;
}

function renderReport(report, subject, body) {
  const errors = report.findings.filter((f) => f.severity === "error").length;
  const warnings = report.findings.length - errors;
  $("verdict").className = report.passed ? "passed" : "failed";
  $("verdict").textContent = report.passed
    ? `Passed the guardrails${warnings ? ` with ${warnings} warning(s)` : ""}.`
    : `Did not pass: ${errors} error(s)${warnings ? `, ${warnings} warning(s)` : ""}.`;
  $("subject-view-row").hidden = !subject;
  renderHighlighted($("subject-view"), subject || "", spansFor(report, "subject"));
  renderHighlighted($("body-view"), body, spansFor(report, "body"));

  const findings = $("findings");
  findings.replaceChildren();
  report.findings.forEach((finding, index) => {
    const item = el("li", { id: `finding-${index}`, class: `finding-item ${finding.severity}` },
      el("strong", { text: `${finding.severity} · ${finding.rule}` }), " ",
      el("q", { text: finding.excerpt }),
      el("p", { class: "message", text: finding.message }));
    if (finding.suggestion) item.append(el("p", { class: "suggestion", text: `Suggestion: ${finding.suggestion}` }));
    const show = el("button", { type: "button", text: "Show in the letter" });
    show.addEventListener("click", () => $(`finding-mark-${index}`)?.focus());
    item.append(show);
    findings.append(item);
  });
  if (!report.findings.length) findings.append(el("li", { text: "No findings." }));
  if (report.skipped.length) {
    findings.append(el("li", { class: "skipped", text: `Skipped without the request's facts: ${report.skipped.join(", ")}` }));
  }

  const elements = $("elements");
  elements.replaceChildren();
  for (const element of report.elements) {
    const label = element.present ? "present" : element.required ? "MISSING" : "not needed here";
    const item = el("li", { class: element.present ? "present" : element.required ? "missing" : "optional" },
      el("mark", { class: element.present ? `element element-${element.element}` : "" },
        el("strong", { text: element.element })), ` — ${label}`);
    if (element.evidence) item.append(": ", el("q", { text: element.evidence.text }));
    elements.append(item);
  }
}

function metaRow(list, name, value) {
  if (value === undefined || value === null || value === "") return;
  list.append(el("dt", { text: name }), el("dd", { text: String(value) }));
}

function renderMeta(draft) {
  const meta = draft.meta || {};
  const list = $("meta");
  list.replaceChildren();
  metaRow(list, "Written by", meta.written_by);
  metaRow(list, "Provider", meta.model ? `${meta.provider} / ${meta.model}` : meta.provider);
  metaRow(list, "Attempts", meta.attempts);
  metaRow(list, "Fallback", meta.fallback ? `yes — ${meta.fallback_reason || "no reason given"}` : "no");
  if (Array.isArray(meta.salvage)) {
    metaRow(list, "Salvage edits", meta.salvage.length
      ? meta.salvage.map((e) => `${e.rule}: ${e.action}${e.before ? ` “${e.before}”` : ""}${e.after ? ` → “${e.after}”` : ""}`).join("; ")
      : "none");
  }
  const review = draft.review || meta.review;
  if (review) {
    metaRow(list, "Review", review.required ? `required — ${(review.reasons || []).join(", ")}` : "not required");
  }
  metaRow(list, "Draft id", meta.id);
  metaRow(list, "Request id", meta.request_id);
  metaRow(list, "Latency", meta.latency_ms === undefined ? undefined : `${meta.latency_ms} ms`);
  metaRow(list, "Prompt version", meta.prompt_version);
}

function showDraft(draft) {
  state.draft = draft;
  $("error").hidden = true;
  $("letter").hidden = false;
  $("subject-edit").value = draft.subject || "";
  $("body-edit").value = draft.body;
  $("rewrite-tone").value = draft.tone;
  $("rewrite-channel").value = draft.channel;
  renderReport(draft.guardrails, draft.subject, draft.body);
  renderMeta(draft);
}

function showError(error) {
  const box = $("error");
  box.replaceChildren(el("p", { text: error.message }));
  const details = Array.isArray(error.details) ? error.details : [];
  if (details.length) {
    const list = el("ul");
    for (const d of details) list.append(el("li", { text: d.field ? `${d.field}: ${d.message}` : JSON.stringify(d) }));
    box.append(list);
  }
  box.hidden = false;
  $("status").textContent = "";
}

async function run(label, action) {
  $("status").textContent = `${label}…`;
  for (const button of document.querySelectorAll("button")) button.disabled = true;
  try {
    await action();
    $("status").textContent = `${label}: done.`;
  } catch (error) {
    showError(error);
  } finally {
    for (const button of document.querySelectorAll("button")) button.disabled = false;
  }
}

// ---- actions ----------------------------------------------------------------------------

function currentText() {
  return { subject: $("subject-edit").value.trim() || null, body: $("body-edit").value };
}

async function draft(event) {
  event.preventDefault();
  state.request = readRequest();
  await run("Drafting", async () => {
    showDraft(await api("POST", "/v1/drafts", state.request));
    $("result").focus();
  });
}

async function rewrite(operation) {
  const body = {
    draft: currentText(),
    context: state.request,
    tone: $("rewrite-tone").value,
    channel: $("rewrite-channel").value,
    operation,
  };
  await run("Rewriting", async () => showDraft(await api("POST", "/v1/rewrites", body)));
}

async function check() {
  const text = currentText();
  const channel = state.draft ? state.draft.channel : $("channel").value;
  const context = state.request ? { ...state.request, channel } : null;
  await run("Checking", async () => {
    const report = await api("POST", "/v1/checks", { ...text, channel, context });
    renderReport(report, text.subject, text.body);
  });
}

async function copyLetter() {
  const { subject, body } = currentText();
  const text = subject ? `Subject: ${subject}\n\n${body}` : body;
  try {
    await navigator.clipboard.writeText(text);
    $("status").textContent = "Copied the letter to the clipboard.";
  } catch {
    $("body-edit").select();
    $("status").textContent = "Could not reach the clipboard; the letter is selected, press Ctrl+C.";
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("api-key").value = sessionStorage.getItem("amends-api-key") || "";
  $("api-key").addEventListener("change", (e) => sessionStorage.setItem("amends-api-key", e.target.value.trim()));
  $("scenario").addEventListener("change", describeScenario);
  $("add-remedy").addEventListener("click", () => addItem("remedy-template", "remedies"));
  $("add-prevention").addEventListener("click", () => addItem("prevention-template", "prevention"));
  $("draft-form").addEventListener("submit", draft);
  $("apply-rewrite").addEventListener("click", () => rewrite("none"));
  $("check").addEventListener("click", check);
  $("copy").addEventListener("click", copyLetter);
  loadCatalog().catch(showError);
});
