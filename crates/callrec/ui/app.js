// The callrec web UI: calls, one call, quality, logs and operations, drawn from callrec's own API.
// Plain script, no build step: every request goes through `api`, with the bearer token pasted into the page
// (kept in sessionStorage, so it leaves with the tab), and the URL's hash holds the view and its search.
"use strict";

const TOKEN_KEY = "callrec.token";
const PAGE = 50;
const SESSION_ROWS = 50;
const main = document.getElementById("main");
const statusLine = document.getElementById("status");
const cache = new Map();
let renderToken = 0;

// ---- small helpers --------------------------------------------------------------------------------------

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  append(e, children);
  return e;
}

function svg(tag, attrs, ...children) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  setAttrs(e, attrs);
  append(e, children);
  return e;
}

function setAttrs(e, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (k === "text") e.textContent = v;
    // The page's CSP forbids style attributes; styles set through the CSSOM are allowed.
    else if (k === "style") e.style.cssText = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
}

function append(e, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : String(c));
  }
}

/** Replaces a node's children, leaving out the null, undefined and false that optional parts give. */
function fill(e, ...children) {
  e.replaceChildren();
  append(e, children);
}

function quote(s) {
  return "'" + String(s).replace(/'/g, "''") + "'";
}

function fmtTime(t) {
  if (!t) return "";
  const d = new Date(t);
  if (isNaN(d)) return t;
  return d.toISOString().replace("T", " ").slice(0, 19) + "Z";
}

function fmtDuration(ms) {
  if (ms === null || ms === undefined || isNaN(ms)) return "";
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return (h ? h + ":" + String(m).padStart(2, "0") : m) + ":" + String(r).padStart(2, "0");
}

function span(a, b) {
  return new Date(b) - new Date(a);
}

// `PT0.015S`, `PT1M2S`, `P1DT2H` as milliseconds.
function isoDurationMs(v) {
  if (typeof v !== "string") return null;
  const m = /^(-)?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(v);
  if (!m) return null;
  const [, neg, d, h, mi, s] = m;
  const ms = (((+(d || 0) * 24 + +(h || 0)) * 60 + +(mi || 0)) * 60 + +(s || 0)) * 1000;
  return neg ? -ms : ms;
}

function pct(x) {
  return x === null || x === undefined ? "" : (x * 100).toFixed(1) + " %";
}

function hashParams() {
  const hash = location.hash.replace(/^#/, "") || "/calls";
  const [path, query] = hash.split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query || "") };
}

function go(path, params) {
  const q = params ? new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "" && v !== undefined && v !== null && v !== false)).toString() : "";
  location.hash = "#" + path + (q ? "?" + q : "");
}

// ---- the API ------------------------------------------------------------------------------------------

class ApiFailure extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, options = {}) {
  const headers = { accept: options.accept || "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.authorization = "Bearer " + token;
  if (options.pageSize) headers.prefer = "odata.maxpagesize=" + options.pageSize;
  const started = performance.now();
  const response = await fetch(path, { headers });
  const text = await response.text();
  const ms = Math.round(performance.now() - started);
  if (!options.quiet) statusLine.textContent = `GET ${decodeURIComponent(path.replace(location.origin, "")).slice(0, 140)}: ${response.status} in ${ms} ms`;
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = JSON.parse(text);
      if (body.error) message = `${body.error.code}: ${body.error.message}`;
    } catch (_) { /* not JSON */ }
    if (response.status === 401) message += " (this server needs a token: paste one above)";
    throw new ApiFailure(response.status, message);
  }
  return options.accept && !options.accept.includes("json") ? text : JSON.parse(text);
}

async function cached(path) {
  if (!cache.has(path)) cache.set(path, api(path).catch((e) => { cache.delete(path); throw e; }));
  return cache.get(path);
}

const thresholds = () => cached("/callrec/reports/quality/thresholds");

// ---- quality rules (docs/quality.md), for one stream -----------------------------------------------------

const AUDIO_RULES = [
  ["averageAudioDegradation", "audioDegradation", ">", (v) => v, ""],
  ["averageRoundTripTime", "roundTripMs", ">", isoDurationMs, " ms"],
  ["averagePacketLossRate", "packetLossRate", ">", (v) => v, ""],
  ["averageJitter", "jitterMs", ">", isoDurationMs, " ms"],
  ["averageRatioOfConcealedSamples", "concealedRatio", ">", (v) => v, ""],
];
const VIDEO_RULES = [
  ["averageVideoFrameLossPercentage", "frameLossPercentage", ">", (v) => v, " %"],
  ["averageReceivedFrameRate", "receivedFrameRate", "<", (v) => v, " fps"],
  ["postForwardErrorCorrectionPacketLossRate", "postFecPacketLossRate", ">", (v) => v, ""],
];

function mediaType(media, stream) {
  const label = (media.label || "").toLowerCase();
  if (label === "main-audio") return "audio";
  if (label === "main-video") return "video";
  if (label === "applicationsharing-video" || label === "videobasedscreensharing") return "videoBasedScreenSharing";
  if (label === "data" || label) return label === "data" ? "other" : codecType(stream) || "other";
  return codecType(stream) || "other";
}

function codecType(stream) {
  if (stream.audioCodec && stream.audioCodec !== "unknown") return "audio";
  if (stream.videoCodec && stream.videoCodec !== "unknown") return "video";
  return null;
}

function rulesOf(type, t) {
  if (type === "audio") return AUDIO_RULES.map((r) => [...r, t.audio[r[1]]]);
  if (type === "video") return VIDEO_RULES.map((r) => [...r, t.video[r[1]]]);
  if (type === "videoBasedScreenSharing") return VIDEO_RULES.map((r) => [...r, t.videoBasedScreenSharing[r[1]]]);
  return [];
}

// { verdict, reason, checks: Map(property -> {value, limit, op, unit, over}) }
function classify(type, stream, t) {
  const checks = new Map();
  for (const [property, , op, read, unit, limit] of rulesOf(type, t)) {
    const raw = stream[property];
    const value = raw === null || raw === undefined ? null : read(raw);
    if (value === null || value === undefined) continue;
    const over = op === ">" ? value > limit : value < limit;
    checks.set(property, { value, limit, op, unit, over });
  }
  let verdict = "unclassified", reason = null;
  if (type === "audio") {
    const poor = [...checks.entries()].find(([, c]) => c.over);
    if (poor) { verdict = "poor"; reason = poor; } else if (checks.size) verdict = "good";
  } else if (type === "video" || type === "videoBasedScreenSharing") {
    const first = [...checks.entries()][0];
    if (first) { verdict = first[1].over ? "poor" : "good"; reason = first[1].over ? first : null; }
  }
  const why = reason ? `${reason[0]} ${round(reason[1].value)}${reason[1].unit} ${reason[1].op} ${reason[1].limit}${reason[1].unit}` : "";
  return { verdict, reason: why, checks };
}

function round(v) {
  return typeof v === "number" ? +v.toFixed(4) : v;
}

function worst(verdicts) {
  if (verdicts.includes("poor")) return "poor";
  if (verdicts.includes("good")) return "good";
  return "unclassified";
}

function badge(verdict) {
  return el("span", { class: "badge " + verdict, text: verdict });
}

// ---- the shell ----------------------------------------------------------------------------------------

function setState(view, state) {
  main.dataset.view = view;
  main.dataset.state = state;
}

function fail(view, e) {
  main.replaceChildren(el("h1", { text: view }), el("p", { class: "error", role: "alert", text: e.message || String(e) }));
  setState(view, "error");
}

async function render() {
  const mine = ++renderToken;
  const { parts, params } = hashParams();
  const view = parts[0] || "calls";
  for (const a of document.querySelectorAll("nav a")) a.classList.toggle("active", a.dataset.view === (view === "call" ? "calls" : view));
  setState(view, "loading");
  const started = performance.now();
  const views = { calls: callsView, call: callView, quality: qualityView, logs: logsView, operations: operationsView };
  const draw = views[view] || callsView;
  try {
    const content = await draw(params, parts, () => mine !== renderToken);
    if (mine !== renderToken) return;
    main.replaceChildren(...[content].flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
    const ms = Math.round(performance.now() - started);
    performance.measure("callrec:" + view, { start: started, duration: ms });
    main.dataset.renderMs = ms;
    setState(view, "ready");
  } catch (e) {
    if (mine === renderToken) fail(view, e);
  }
}

function field(label, input) {
  return el("label", {}, label, input);
}

// ---- Calls ---------------------------------------------------------------------------------------------

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// A participant by id, or by display name through the user report's labels (the only name index the API has).
async function participantIds(text) {
  if (GUID.test(text)) return [text];
  const needle = text.toLowerCase();
  const report = await cached("/callrec/reports/quality?by=user&days=366");
  const ids = report.rows.filter((r) => r.key && ((r.label || "").toLowerCase().includes(needle) || r.key.toLowerCase() === needle)).map((r) => r.key);
  return ids.length ? ids.slice(0, 100) : [text];
}

function instant(v, end) {
  if (!v) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v + (end ? "T23:59:59.9999999Z" : "T00:00:00Z");
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v)) return v + ":00Z";
  return v;
}

async function callsFilter(p) {
  if (p.get("filter")) return p.get("filter");
  const terms = [];
  const from = instant(p.get("from")), to = instant(p.get("to"), true);
  if (from) terms.push(`startDateTime ge ${from}`);
  if (to) terms.push(`startDateTime le ${to}`);
  if (p.get("type")) terms.push(`type eq ${quote(p.get("type"))}`);
  if (p.get("modality")) terms.push(`modalities/any(m:m eq ${quote(p.get("modality"))})`);
  if (p.get("poor")) terms.push("quality eq 'poor'");
  if (p.get("who")) {
    const ids = await participantIds(p.get("who").trim());
    terms.push(`participants_v2/any(p:p/id in (${ids.map(quote).join(",")}))`);
  }
  return terms.join(" and ");
}

async function verdictsOf(ids) {
  if (!ids.length) return new Map();
  const list = ids.map(quote).join(",");
  const out = new Map();
  await Promise.all(["poor", "good"].map(async (v) => {
    const page = await api(`/v1.0/communications/callRecords?$select=id&$filter=${encodeURIComponent(`id in (${list}) and quality eq '${v}'`)}`, { pageSize: 1000 });
    for (const r of page.value) out.set(r.id, v);
  }));
  return out;
}

async function callsView(p) {
  const form = el("form", { class: "search", role: "search" },
    field("From (UTC)", el("input", { name: "from", type: "date", value: p.get("from") || "" })),
    field("To (UTC)", el("input", { name: "to", type: "date", value: p.get("to") || "" })),
    field("Participant (name or id)", el("input", { name: "who", class: "wide", value: p.get("who") || "", placeholder: "Abbie or 821809f5-…" })),
    field("Type", el("select", { name: "type" }, ["", "peerToPeer", "groupCall", "unknown"].map((t) => el("option", { value: t, selected: p.get("type") === t, text: t || "any" })))),
    field("Modality", el("select", { name: "modality" }, ["", "audio", "video", "videoBasedScreenSharing", "screenSharing", "data"].map((t) => el("option", { value: t, selected: p.get("modality") === t, text: t || "any" })))),
    el("label", { class: "check" }, el("input", { type: "checkbox", name: "poor", checked: !!p.get("poor") }), "Poor only"),
    field("OData $filter (overrides the rest)", el("input", { name: "filter", class: "wide", value: p.get("filter") || "" })),
    el("button", { type: "submit", text: "Search" }));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const d = new FormData(form);
    go("/calls", { from: d.get("from"), to: d.get("to"), who: d.get("who"), type: d.get("type"), modality: d.get("modality"), poor: d.get("poor") ? "1" : "", filter: d.get("filter") });
  });
  const filter = await callsFilter(p);
  const first = "/v1.0/communications/callRecords?$orderby=startDateTime%20desc" + (filter ? "&$filter=" + encodeURIComponent(filter) : "");
  const results = el("div", {});
  // The pages seen before this one, so that "Previous" goes back without the API paging backwards.
  const trail = [];
  let current = first;
  const show = async (url) => {
    const page = await api(url, { pageSize: PAGE });
    const verdicts = await verdictsOf(page.value.map((r) => r.id));
    current = url;
    fill(results, callsTable(page.value, verdicts), pager(page));
    fillParticipants(results);
  };
  const move = (url) => {
    main.dataset.state = "loading";
    show(url).then(() => { main.dataset.state = "ready"; }, (e) => fail("calls", e));
  };
  const pager = (page) => el("div", { class: "pager" },
    el("button", { type: "button", id: "previous-page", disabled: !trail.length, onclick: () => move(trail.pop()), text: "← Previous" }),
    el("span", { class: "muted", text: `page ${trail.length + 1}, ${page.value.length} calls` }),
    el("button", { type: "button", id: "next-page", disabled: !page["@odata.nextLink"], onclick: () => { trail.push(current); move(page["@odata.nextLink"]); }, text: "Next →" }));
  await show(first);
  return [el("h1", { text: "Calls" }), form, filter ? el("p", { class: "muted" }, "$filter: ", el("code", { id: "filter", text: filter })) : null, results];
}

// The list answers no participant counts, so each row's count is read after the table is drawn, a few
// calls at a time, from the call's own participants_v2 (following its pages for a large meeting).
async function fillParticipants(root) {
  const cells = [...root.querySelectorAll("td.participants[data-id]")];
  const next = async () => {
    for (let cell = cells.shift(); cell; cell = cells.shift()) {
      const base = "/v1.0/communications/callRecords/" + encodeURIComponent(cell.dataset.id) + "/participants_v2?$select=id";
      try {
        const first = await api(base, { quiet: true });
        const all = await followPages(first.value, first["@odata.nextLink"], true);
        cell.textContent = all.items.length;
      } catch (_) {
        cell.textContent = "?";
      }
    }
  };
  await Promise.all([1, 2, 3, 4].map(next));
}

function callsTable(rows, verdicts) {
  if (!rows.length) return el("p", { class: "muted", text: "No call matches." });
  return el("div", { class: "scroll" }, el("table", { id: "calls" },
    el("thead", {}, el("tr", {}, ["Start (UTC)", "Duration", "Type", "Modalities", "Organizer", "Participants", "Quality", "Id"].map((h) => el("th", { text: h, class: h === "Duration" || h === "Participants" ? "num" : h === "Id" ? "narrow-hide" : null })))),
    el("tbody", {}, rows.map((r) => {
      const organizer = identityOf(r.organizer_v2) || identityOf({ identity: r.organizer });
      return el("tr", { "data-id": r.id },
        el("td", {}, el("a", { href: "#/call/" + encodeURIComponent(r.id), text: fmtTime(r.startDateTime) })),
        el("td", { class: "num", text: fmtDuration(span(r.startDateTime, r.endDateTime)) }),
        el("td", { text: r.type }),
        el("td", { text: (r.modalities || []).join(", ") }),
        el("td", { text: organizer ? organizer.name : "" }),
        el("td", { class: "num participants", "data-id": r.id, text: "…" }),
        el("td", {}, badge(verdicts.get(r.id) || "unclassified")),
        el("td", { class: "muted narrow-hide", text: r.id }));
    }))));
}

// ---- One call ------------------------------------------------------------------------------------------

async function followPages(first, link, quiet) {
  const items = [...first];
  let pages = 1;
  while (link) {
    const page = await api(link, { quiet });
    items.push(...page.value);
    link = page["@odata.nextLink"];
    pages += 1;
  }
  return { items, pages };
}

function identityOf(ep) {
  const assoc = ep?.associatedIdentity;
  const id = ep?.identity;
  if (!id) return assoc && (assoc.id || assoc.displayName) ? { kind: "user", id: assoc.id || assoc.displayName, name: assoc.displayName || assoc.id, upn: assoc.userPrincipalName } : null;
  for (const kind of ["user", "guest", "encrypted", "onPremises", "acsUser", "spoolUser", "phone", "applicationInstance", "application", "device", "acsApplicationInstance", "azureCommunicationServicesUser"]) {
    const v = id[kind];
    if (v && (v.id || v.displayName)) return { kind, id: v.id || v.displayName, name: v.displayName || v.id, upn: v.userPrincipalName };
  }
  return assoc && (assoc.id || assoc.displayName) ? { kind: "user", id: assoc.id || assoc.displayName, name: assoc.displayName || assoc.id, upn: assoc.userPrincipalName } : null;
}

function isService(ep) {
  return !ep || (ep["@odata.type"] || "").includes("serviceEndpoint");
}

// The person a session belongs to: its participant endpoint (meetings' sessions run to a service).
function sessionParty(s) {
  const pick = !isService(s.caller) ? s.caller : !isService(s.callee) ? s.callee : s.caller || s.callee;
  return identityOf(pick) || { kind: "service", id: pick?.userAgent?.role || "service", name: pick?.userAgent?.role || "service" };
}

function sessionVerdict(s, t) {
  const vs = [];
  for (const g of s.segments || []) for (const m of g.media || []) for (const st of m.streams || []) vs.push(classify(mediaType(m, st), st, t).verdict);
  return worst(vs);
}

async function callView(p, parts) {
  const id = parts[1];
  const base = "/v1.0/communications/callRecords/" + encodeURIComponent(id);
  const [record, t] = await Promise.all([api(base + "?$expand=sessions($expand=segments),participants_v2"), thresholds()]);
  const sessions = await followPages(record.sessions || [], record["sessions@odata.nextLink"]);
  const participants = await followPages(record.participants_v2 || [], record["participants_v2@odata.nextLink"]);
  record.sessions = sessions.items;
  record.participants_v2 = participants.items;
  delete record["sessions@odata.nextLink"];
  delete record["participants_v2@odata.nextLink"];
  const verdicts = new Map(record.sessions.map((s) => [s.id, sessionVerdict(s, t)]));
  const overall = worst([...verdicts.values()]);

  const detail = el("div", { id: "detail" });
  const select = (s, g) => {
    for (const e of main.querySelectorAll(".sess.sel, tr.sel")) e.classList.remove("sel");
    for (const e of main.querySelectorAll(`[data-session="${CSS.escape(s.id)}"]`)) e.classList.add("sel");
    detail.replaceChildren(...sessionDetail(s, g, t, select).filter(Boolean));
  };

  const json = new Blob([JSON.stringify(record, null, 2)], { type: "application/json" });
  const organizer = identityOf(record.organizer_v2) || identityOf({ identity: record.organizer });
  const factList = el("dl", { class: "facts" });
  for (const [k, v] of [["Id", record.id], ["Type", record.type], ["Start", fmtTime(record.startDateTime)], ["End", fmtTime(record.endDateTime)],
    ["Duration", fmtDuration(span(record.startDateTime, record.endDateTime))], ["Modalities", (record.modalities || []).join(", ")],
    ["Organizer", organizer ? organizer.name : ""], ["Version", record.version], ["Last modified", fmtTime(record.lastModifiedDateTime)],
    ["Participants", record.participants_v2.length], ["Sessions", record.sessions.length]]) {
    factList.append(el("dt", { text: k }), el("dd", { text: v ?? "" }));
  }
  factList.append(el("dt", { text: "Quality" }), el("dd", {}, badge(overall)));
  const paging = sessions.pages > 1 || participants.pages > 1
    ? el("p", { class: "note", id: "paging-note", text: `Graph pages this record: its sessions came in ${sessions.pages} pages of up to 60 and its participants in ${participants.pages} pages of up to 130; the page followed every nextLink.` })
    : null;

  const dr = el("div", {}, el("p", { class: "muted", text: "Loading direct-routing rows…" }));
  api(`/callrec/callRecords/${encodeURIComponent(id)}/directRoutingCalls`).then(
    (rows) => dr.replaceChildren(logTable(rows.value || [], "directRouting", false)),
    (e) => dr.replaceChildren(el("p", { class: "muted", text: "Direct-routing rows: " + e.message })));

  const content = [
    el("h1", {}, "Call ", el("code", { text: record.id })),
    el("div", { class: "cols" },
      el("section", { class: "panel" }, el("h2", { text: "Facts" }), factList,
        el("p", {}, el("a", { href: URL.createObjectURL(json), download: `callRecord-${record.id}.json`, id: "download", text: "Download the record's JSON" }))),
      el("section", { class: "panel" }, el("h2", { text: "Participants" }), participantsTable(record.participants_v2))),
    el("h2", { text: "Timeline" }), paging,
    timeline(record, verdicts, select),
    detail,
    el("h2", { text: "Sessions" }), sessionsTable(record.sessions, verdicts, select),
    el("h2", { text: "Direct-routing rows" }), dr,
  ];
  if (record.sessions.length) setTimeout(() => select(record.sessions[0], null), 0);
  return content;
}

function participantsTable(list) {
  const rows = list.slice(0, 200).map((pt) => {
    const who = identityOf(pt) || {};
    const upn = pt.identity?.user?.userPrincipalName || "";
    return el("tr", {}, el("td", { text: who.name || "" }), el("td", { text: upn }), el("td", { class: "muted", text: pt.id }));
  });
  return el("div", { class: "scroll", style: "max-height:220px" }, el("table", {},
    el("thead", {}, el("tr", {}, el("th", { text: "Name" }), el("th", { text: "UPN" }), el("th", { text: "Id" }))),
    el("tbody", {}, rows)), list.length > 200 ? el("p", { class: "muted", text: `and ${list.length - 200} more` }) : null);
}

function timeline(record, verdicts, select) {
  const sessions = record.sessions;
  if (!sessions.length) return el("p", { class: "muted", text: "No sessions." });
  const times = sessions.flatMap((s) => [new Date(s.startDateTime), new Date(s.endDateTime)]).filter((d) => !isNaN(d));
  const t0 = Math.min(...times, new Date(record.startDateTime)), t1 = Math.max(...times, new Date(record.endDateTime), t0 + 1000);
  const rows = new Map();
  for (const s of sessions) {
    const who = sessionParty(s);
    const key = who.kind + ":" + who.id;
    if (!rows.has(key)) rows.set(key, { who, sessions: [] });
    rows.get(key).sessions.push(s);
  }
  const RH = 18, LABEL = 170, W = Math.max(700, Math.min(1400, (main.clientWidth || 900) - 40)), AX = 18;
  const plot = W - LABEL - 10;
  const x = (t) => LABEL + ((new Date(t) - t0) / (t1 - t0)) * plot;
  const h = AX + rows.size * RH + 4;
  const g = svg("svg", { width: W, height: h, viewBox: `0 0 ${W} ${h}`, role: "group", "aria-label": `Timeline: ${sessions.length} sessions of ${rows.size} participants` });
  for (let i = 0; i <= 4; i++) {
    const tx = LABEL + (plot * i) / 4;
    g.append(svg("line", { x1: tx, x2: tx, y1: AX - 4, y2: h, stroke: "#e2e2e2" }),
      svg("text", { x: tx, y: 11, "text-anchor": i === 0 ? "start" : i === 4 ? "end" : "middle", text: fmtTime(new Date(t0 + ((t1 - t0) * i) / 4)).slice(11, 19) }));
  }
  let r = 0;
  for (const { who, sessions: list } of rows.values()) {
    const y = AX + r * RH;
    g.append(svg("text", { x: 2, y: y + 12, text: who.name.length > 26 ? who.name.slice(0, 25) + "…" : who.name }, svg("title", { text: who.name + " (" + who.kind + ")" })));
    for (const s of list) {
      const sx = x(s.startDateTime), sw = Math.max(3, x(s.endDateTime) - sx);
      const v = verdicts.get(s.id);
      const rect = svg("rect", { class: "sess" + (v === "poor" ? " poor" : ""), x: sx, y: y + 2, width: sw, height: RH - 4, tabindex: 0, role: "button", "data-session": s.id,
        "aria-label": `Session ${s.id}: ${who.name}, ${fmtTime(s.startDateTime)}, ${fmtDuration(span(s.startDateTime, s.endDateTime))}, ${v}` },
      svg("title", { text: `${who.name}\n${fmtTime(s.startDateTime)} – ${fmtTime(s.endDateTime)}\n${(s.segments || []).length} segments, ${v}` }));
      rect.addEventListener("click", () => select(s, null));
      rect.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); select(s, null); }
        if (ev.key === "ArrowDown" || ev.key === "ArrowUp" || ev.key === "ArrowRight" || ev.key === "ArrowLeft") {
          ev.preventDefault();
          const all = [...g.querySelectorAll(".sess")];
          const next = all[all.indexOf(rect) + (ev.key === "ArrowDown" || ev.key === "ArrowRight" ? 1 : -1)];
          if (next) next.focus();
        }
      });
      g.append(rect);
      for (const seg of s.segments || []) {
        const gx = x(seg.startDateTime), gw = Math.max(1, x(seg.endDateTime) - gx);
        const segPoor = (seg.media || []).some((m) => (m.streams || []).some((st) => classify(mediaType(m, st), st, currentThresholds).verdict === "poor"));
        g.append(svg("rect", { class: "seg" + (segPoor ? " poor" : ""), x: gx, y: y + RH / 2 - 2, width: gw, height: 4 }));
        if (seg.failureInfo) g.append(svg("path", { class: "fail", d: `M${gx - 4} ${y + 3} l8 ${RH - 6} m0 -${RH - 6} l-8 ${RH - 6}` }, svg("title", { text: `failure: ${seg.failureInfo.stage} ${seg.failureInfo.reason || ""}` })));
      }
      if (s.failureInfo) g.append(svg("path", { class: "fail", d: `M${sx - 4} ${y + 3} l8 ${RH - 6} m0 -${RH - 6} l-8 ${RH - 6}` }));
    }
    r += 1;
  }
  return el("div", { class: "timeline", id: "timeline" }, g);
}

let currentThresholds = null;

function sessionsTable(sessions, verdicts, select) {
  const wrap = el("div", {});
  const show = (from) => {
    const list = sessions.slice(from, from + SESSION_ROWS);
    fill(wrap,
      el("div", { class: "scroll" }, el("table", { id: "sessions" },
        el("thead", {}, el("tr", {}, ["Start", "Duration", "Participant", "Modalities", "Segments", "Failure", "Quality", ""].map((x) => el("th", { text: x })))),
        el("tbody", {}, list.map((s) => el("tr", { "data-session": s.id },
          el("td", { text: fmtTime(s.startDateTime) }), el("td", { class: "num", text: fmtDuration(span(s.startDateTime, s.endDateTime)) }),
          el("td", { text: sessionParty(s).name }), el("td", { text: (s.modalities || []).join(", ") }),
          el("td", { class: "num", text: (s.segments || []).length }),
          el("td", { text: (s.segments || []).filter((g) => g.failureInfo).map((g) => g.failureInfo.stage).join(", ") }),
          el("td", {}, badge(verdicts.get(s.id))),
          el("td", {}, el("button", { type: "button", onclick: () => select(s, null), text: "Show" }))))))),
      sessions.length > SESSION_ROWS ? el("div", { class: "pager", id: "sessions-pager" },
        el("button", { type: "button", disabled: from === 0, onclick: () => show(from - SESSION_ROWS), text: "← Previous" }),
        el("span", { class: "muted", text: `sessions ${from + 1}–${Math.min(from + SESSION_ROWS, sessions.length)} of ${sessions.length}` }),
        el("button", { type: "button", class: "next", disabled: from + SESSION_ROWS >= sessions.length, onclick: () => show(from + SESSION_ROWS), text: "Next →" })) : null);
  };
  show(0);
  return wrap;
}

function endpointFacts(title, ep, media, side) {
  const who = identityOf(ep);
  const ua = ep?.userAgent || {};
  const dev = media.map((m) => m[side + "Device"]).find(Boolean) || {};
  const net = media.map((m) => m[side + "Network"]).find(Boolean) || {};
  const rows = [
    ["User", who ? `${who.name}${who.id !== who.name ? " (" + who.id + ")" : ""}` : isService(ep) ? "service: " + (ua.role || "") : ""],
    ["Endpoint", ep?.name || ""], ["Platform", ua.platform || ""], ["Client", [ua.productFamily, ua.applicationVersion].filter(Boolean).join(" ")],
    ["User agent", ua.headerValue || ""],
    ["Capture device", dev.captureDeviceName || ""], ["Render device", dev.renderDeviceName || ""],
    ["Network", net.connectionType === "tunnel" ? "tunnel (VPN)" : net.connectionType || ""], ["Subnet", net.subnet || ""], ["IP", net.ipAddress || ""],
    ["Wi-Fi", [net.wifiBand, net.wifiRadioType, net.wifiSignalStrength !== undefined && net.wifiSignalStrength !== null ? "signal " + net.wifiSignalStrength : null].filter((v) => v && v !== "unknown").join(", ")],
    ["Relay", net.relayIPAddress ? `${net.relayIPAddress}:${net.relayPort ?? ""}` : ""], ["Transport", net.networkTransportProtocol || ""],
    ["Link speed", net.linkSpeed ? Math.round(net.linkSpeed / 1e6) + " Mbit/s" : ""],
  ];
  const dl = el("dl", { class: "facts" });
  for (const [k, v] of rows) if (v) dl.append(el("dt", { text: k }), el("dd", { text: v }));
  return el("section", { class: "panel" }, el("h2", { text: title }), dl);
}

function sessionDetail(s, picked, t, select) {
  const segs = s.segments || [];
  const seg = picked || null;
  const scope = seg ? [seg] : segs;
  const media = scope.flatMap((g) => g.media || []);
  const caller = seg?.caller || s.caller, callee = seg?.callee || s.callee;
  const choice = el("div", { class: "seg-choice", role: "group", "aria-label": "Segments" },
    el("button", { type: "button", "aria-pressed": String(!seg), onclick: () => select(s, null), text: `whole session (${segs.length} segments)` }),
    segs.slice(0, 60).map((g, i) => el("button", { type: "button", "aria-pressed": String(seg === g), onclick: () => select(s, g), text: `segment ${i + 1}${g.failureInfo ? " ✕" : ""}` })));
  const failures = scope.filter((g) => g.failureInfo).map((g) => el("li", { text: `${fmtTime(g.startDateTime)}: failed at ${g.failureInfo.stage}: ${g.failureInfo.reason || ""}` }));
  return [
    el("h2", {}, "Session ", el("code", { text: s.id }), seg ? " · segment " + (segs.indexOf(seg) + 1) : ""),
    choice,
    failures.length ? el("ul", { class: "error" }, failures) : null,
    el("div", { class: "cols" }, endpointFacts("Caller", caller, media, "caller"), endpointFacts("Callee", callee, media, "callee")),
    el("h2", { text: "Streams" }),
    streamsTable(media, t),
  ];
}

// Metrics as rows and streams as columns, so every property a stream reports is shown; thresholded values
// are coloured and their limit shown.
function streamsTable(media, t) {
  const streams = [];
  for (const m of media) for (const st of m.streams || []) streams.push({ m, st, type: mediaType(m, st) });
  if (!streams.length) return el("p", { class: "muted", text: "No streams." });
  const shown = streams.slice(0, 40);
  const results = shown.map(({ st, type }) => classify(type, st, t));
  const keys = [];
  for (const { st } of shown) for (const k of Object.keys(st)) if (!keys.includes(k) && !k.includes("@") && k !== "streamId") keys.push(k);
  const limitOf = (k) => {
    for (const { type } of shown) {
      const rule = rulesOf(type, t).find((r) => r[0] === k);
      if (rule) return `${rule[2] === ">" ? "≤" : "≥"} ${rule[5]}${rule[4]}`;
    }
    return "";
  };
  const head = el("tr", {}, el("th", { text: "Metric" }), el("th", { text: "Limit" }),
    shown.map(({ m, st, type }) => el("th", { text: `${m.label || type} ${st.streamDirection || ""}`.trim() })));
  const verdictRow = el("tr", { class: "verdict" }, el("th", { text: "Verdict" }), el("td", {}), results.map((r) => el("td", {}, badge(r.verdict), r.reason ? el("div", { class: "v-poor", text: r.reason }) : null)));
  const body = keys.map((k) => el("tr", { "data-metric": k }, el("td", { text: k }), el("td", { class: "muted", text: limitOf(k) }),
    shown.map(({ st }, i) => {
      const c = results[i].checks.get(k);
      const v = st[k];
      const text = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
      return el("td", { class: c ? (c.over ? "num v-poor" : "num v-good") : "num", title: c ? `${round(c.value)}${c.unit} (limit ${c.limit}${c.unit})` : null, text: text + (c && c.unit && typeof v === "string" ? ` (${round(c.value)}${c.unit})` : "") });
    })));
  return el("div", { class: "scroll" }, el("table", { id: "streams" }, el("thead", {}, head), el("tbody", {}, verdictRow, body)),
    streams.length > shown.length ? el("p", { class: "muted", text: `${streams.length - shown.length} more streams: pick a segment` }) : null);
}

// ---- Quality -------------------------------------------------------------------------------------------

const DIMENSIONS = [["building", "Building"], ["subnet", "Subnet"], ["connection", "Network type"], ["platform", "Platform"], ["clientVersion", "Client version"], ["device", "Device"], ["user", "User"]];

function filterOf(link) {
  try { return new URL(link).searchParams.get("$filter") || ""; } catch (_) { return ""; }
}

async function qualityView(p) {
  const days = p.get("days") || "30", by = p.get("by") || "building", min = p.get("min") || "10", media = p.get("media") || "";
  const hourly = days === "1";
  const day = /^\d{4}-\d{2}-\d{2}$/.test(p.get("day") || "") ? p.get("day") : isoDay(new Date());
  const set = (k, v) => go("/quality", { days, by, min, media, day: hourly ? day : "", [k]: v });
  const mediaQ = media ? "&mediaType=" + media : "";
  // One day is read by hour, from its midnight to the next; longer ranges by day, ending today.
  const range = hourly ? `from=${day}&to=${isoDay(new Date(Date.parse(day) + 86400000))}` : `days=${days}`;
  const [trend, breakdown] = await Promise.all([
    api(`/callrec/reports/quality?by=${hourly ? "hour" : "day"}&${range}${mediaQ}`),
    api(`/callrec/reports/quality?by=${by}&${range}${mediaQ}&order=worst&minStreams=${encodeURIComponent(min)}&top=100`),
  ]);
  const dayForm = el("form", { class: "search" }, field("Day (UTC)", el("input", { name: "day", type: "date", value: day })), el("button", { type: "submit", text: "Show its hours" }));
  dayForm.addEventListener("submit", (ev) => { ev.preventDefault(); go("/quality", { days: "1", by, min, media, day: new FormData(dayForm).get("day") }); });
  const choice = (label, current, options, key) => el("div", { class: "seg-choice", role: "group", "aria-label": label },
    el("span", { class: "muted", text: label + ":" }),
    options.map(([v, text]) => el("button", { type: "button", "aria-pressed": String(current === v), onclick: () => set(key, v), text })));
  const minForm = el("form", { class: "search" }, field("Minimum classified streams", el("input", { name: "min", type: "number", min: 0, value: min, style: "width:6em" })), el("button", { type: "submit", text: "Apply" }));
  minForm.addEventListener("submit", (ev) => { ev.preventDefault(); set("min", new FormData(minForm).get("min")); });
  const tt = trend.totals;
  return [
    el("h1", { text: "Quality" }),
    choice("Range", days, [["1", "one day (hours)"], ["7", "7 days"], ["30", "30 days"], ["90", "90 days"]], "days"),
    hourly ? dayForm : null,
    choice("Media", media, [["", "all"], ["audio", "audio"], ["video", "video"], ["videoBasedScreenSharing", "screen sharing"]], "media"),
    el("p", {}, `${tt.streams} streams: ${tt.good} good, ${tt.poor} poor, ${tt.unclassified} unclassified; poor rate ${pct(tt.poorRate)}. `,
      el("span", { class: "muted", text: "A bar opens the poor calls behind it." })),
    trendChart(trend.rows, hourly),
    el("h2", { text: "Breakdown, worst first" }),
    choice("By", by, DIMENSIONS, "by"), minForm,
    breakdownTable(breakdown.rows, by),
  ];
}

function trendChart(rows, hourly) {
  const W = 900, H = 240, L = 44, R = 44, T = 10, B = 34;
  const plotW = W - L - R, plotH = H - T - B;
  const max = Math.max(1, ...rows.map((r) => r.streams));
  const maxRate = Math.max(0.05, ...rows.map((r) => r.poorRate || 0)) * 1.15;
  const bw = plotW / Math.max(1, rows.length);
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, role: "group", "aria-label": "Streams by " + (hourly ? "hour" : "day") });
  for (let i = 0; i <= 4; i++) {
    const y = T + plotH - (plotH * i) / 4;
    g.append(svg("line", { x1: L, x2: W - R, y1: y, y2: y, stroke: "#e6e6e6" }),
      svg("text", { x: L - 4, y: y + 3, "text-anchor": "end", text: Math.round((max * i) / 4) }),
      svg("text", { x: W - R + 4, y: y + 3, text: pct((maxRate * i) / 4) }));
  }
  const points = [];
  rows.forEach((r, i) => {
    const x = L + i * bw;
    let y = T + plotH;
    const bar = svg("g", { class: "bar", tabindex: 0, role: "link", "data-key": r.key, "aria-label": `${r.key}: ${r.good} good, ${r.poor} poor, ${r.unclassified} unclassified, poor rate ${pct(r.poorRate)}` },
      svg("title", { text: `${fmtTime(r.start)}\n${r.good} good, ${r.poor} poor, ${r.unclassified} unclassified\npoor rate ${pct(r.poorRate)}` }));
    for (const [cls, n] of [["good", r.good], ["poor", r.poor], ["uncl", r.unclassified]]) {
      const h = (n / max) * plotH;
      y -= h;
      bar.append(svg("rect", { class: cls, x: x + 1, y, width: Math.max(1, bw - 2), height: h }));
    }
    bar.append(svg("rect", { x, y: T, width: bw, height: plotH, fill: "transparent" }));
    const open = () => go("/calls", { filter: filterOf(r.records) });
    bar.addEventListener("click", open);
    bar.addEventListener("keydown", (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); open(); } });
    g.append(bar);
    if (r.poorRate !== null) points.push(`${x + bw / 2},${T + plotH - (r.poorRate / maxRate) * plotH}`);
    const every = Math.ceil(rows.length / 10);
    if (i % every === 0) g.append(svg("text", { x: x + bw / 2, y: H - B + 14, "text-anchor": "middle", text: hourly ? (r.start || "").slice(11, 16) : (r.start || "").slice(5, 10) }));
  });
  if (points.length) g.append(svg("polyline", { class: "rate", points: points.join(" ") }));
  return el("div", { class: "chart", id: "trend" }, g,
    el("div", { class: "legend" }, el("span", {}, el("i", { style: "background:#5fa86f" }), "good"), el("span", {}, el("i", { style: "background:#b3261e" }), "poor"),
      el("span", {}, el("i", { style: "background:#b5b5b5" }), "unclassified"), el("span", {}, "— poor rate (right axis)")));
}

function breakdownTable(rows, by) {
  if (!rows.length) return el("p", { class: "muted", text: by === "building" ? "No rows: upload a building map (PUT /callrec/buildings) or lower the minimum." : "No rows with this many classified streams." });
  const reason = (r) => Object.entries(r.poorReasons || {}).sort((a, b) => b[1] - a[1])[0];
  return el("div", { class: "scroll tall" }, el("table", { id: "breakdown" },
    el("thead", {}, el("tr", {}, ["Value", "Streams", "Good", "Poor", "Unclassified", "Poor rate", "Main reason", "Calls"].map((h, i) => el("th", { class: i && i < 6 ? "num" : null, text: h })))),
    el("tbody", {}, rows.map((r) => {
      const top = reason(r);
      return el("tr", {},
        el("td", { text: r.label || r.key || "(none)", title: r.key || "" }),
        el("td", { class: "num", text: r.streams }), el("td", { class: "num", text: r.good }), el("td", { class: "num v-poor", text: r.poor }),
        el("td", { class: "num", text: r.unclassified }), el("td", { class: "num", text: pct(r.poorRate) }),
        el("td", { text: top ? `${top[0]} (${top[1]})` : "" }),
        el("td", {}, el("a", { href: "#/calls?" + new URLSearchParams({ filter: filterOf(r.records) }), text: "poor calls" })));
    }))));
}

// ---- Logs ----------------------------------------------------------------------------------------------

function isoDay(d) {
  return d.toISOString().slice(0, 10);
}

async function logsView(p) {
  const kind = p.get("kind") || "pstn";
  const to = p.get("to") || isoDay(new Date(Date.now() + 86400000));
  const from = p.get("from") || isoDay(new Date(Date.now() - 29 * 86400000));
  const user = p.get("user") || "", number = p.get("number") || "";
  const form = el("form", { class: "search", role: "search" },
    field("Kind", el("select", { name: "kind" }, [["pstn", "PSTN calls"], ["directRouting", "Direct routing calls"]].map(([v, t]) => el("option", { value: v, selected: kind === v, text: t })))),
    field("From (UTC)", el("input", { name: "from", type: "date", value: from })),
    field("To (UTC)", el("input", { name: "to", type: "date", value: to })),
    field("User (UPN starts with)", el("input", { name: "user", value: user })),
    field("Number (starts with)", el("input", { name: "number", value: number })),
    el("button", { type: "submit", text: "Search" }));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const d = new FormData(form);
    go("/logs", Object.fromEntries(["kind", "from", "to", "user", "number"].map((k) => [k, d.get(k)])));
  });
  const terms = [];
  if (user) terms.push(`startswith(userPrincipalName,${quote(user)})`);
  if (number) terms.push(`(startswith(callerNumber,${quote(number)}) or startswith(calleeNumber,${quote(number)}))`);
  const fn = kind === "pstn" ? "getPstnCalls" : "getDirectRoutingCalls";
  const url = `/v1.0/communications/callRecords/${fn}(fromDateTime=${from},toDateTime=${to})` + (terms.length ? "?$filter=" + encodeURIComponent(terms.join(" and ")) : "");
  const results = el("div", {});
  const load = async (link, n) => {
    const page = await api(link);
    // A direct-routing row's correlationId is its call record's id; a PSTN row names no record.
    results.replaceChildren(logTable(page.value, kind, kind === "directRouting"), el("div", { class: "pager" },
      el("span", { class: "muted", text: `page ${n}, ${page.value.length} rows` }),
      el("button", { type: "button", disabled: !page["@odata.nextLink"], onclick: () => load(page["@odata.nextLink"], n + 1), text: "Next →" })));
  };
  await load(url, 1);
  return [el("h1", { text: "Logs" }), form, results];
}

function logTable(rows, kind, link) {
  if (!rows.length) return el("p", { class: "muted", text: "No rows." });
  const cols = [["startDateTime", "Start (UTC)"], ["userPrincipalName", "User"], ["callerNumber", "Caller"], ["calleeNumber", "Callee"], ["callType", "Type"], ["duration", "Duration (s)"]];
  if (kind === "pstn") cols.push(["charge", "Charge"], ["currency", "Currency"], ["destinationName", "Destination"]);
  else cols.push(["finalSipCode", "Final SIP code"], ["finalSipCodePhrase", "Phrase"], ["successfulCall", "Successful"], ["trunkFullyQualifiedDomainName", "Trunk"]);
  return el("div", { class: "scroll tall" }, el("table", { class: "logs" },
    el("thead", {}, el("tr", {}, cols.map(([, h]) => el("th", { text: h })), link ? el("th", { text: "Call" }) : null)),
    el("tbody", {}, rows.map((r) => el("tr", {},
      cols.map(([k]) => el("td", { class: typeof r[k] === "number" ? "num" : null, text: k === "startDateTime" ? fmtTime(r[k]) : r[k] ?? "" })),
      link ? el("td", {}, r.correlationId ? el("a", { href: "#/call/" + encodeURIComponent(r.correlationId), text: "call" }) : "") : null)))));
}

// ---- Operations ----------------------------------------------------------------------------------------

function parseMetrics(text) {
  const out = [];
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#") || line.startsWith("callrec_http_")) continue;
    const i = line.lastIndexOf(" ");
    out.push([line.slice(0, i), line.slice(i + 1)]);
  }
  return out;
}

const RECORDS_COUNT = "/v1.0/communications/callRecords?$count=true&$top=1&$select=id";

async function operationsView() {
  const settle = (p) => p.then((v) => ({ v }), (e) => ({ e }));
  const count = (filter) => api(RECORDS_COUNT + (filter ? "&$filter=" + encodeURIComponent(filter) : "")).then((r) => r["@odata.count"]);
  const [subs, metrics, t, buildings, health, counts] = await Promise.all([
    settle(api("/v1.0/subscriptions")), settle(api("/metrics", { accept: "text/plain" })), settle(thresholds()),
    settle(api("/callrec/buildings")), settle(api("/healthz", { accept: "text/plain" })),
    settle(Promise.all(["", "quality eq 'poor'", "quality eq 'good'", "quality eq 'unclassified'"].map(count)))]);
  const problem = (r) => el("p", { class: "muted", text: r.e.message });
  const subsTable = subs.e ? problem(subs) : subs.v.value.length ? el("div", { class: "scroll" }, el("table", { id: "subscriptions" },
    el("thead", {}, el("tr", {}, ["Id", "Resource", "Changes", "Notification URL", "Expires", "Lifecycle URL"].map((h) => el("th", { text: h })))),
    el("tbody", {}, subs.v.value.map((s) => el("tr", {}, el("td", { text: s.id }), el("td", { text: s.resource }), el("td", { text: s.changeType }),
      el("td", { text: s.notificationUrl }), el("td", { text: fmtTime(s.expirationDateTime) }), el("td", { text: s.lifecycleNotificationUrl || "" })))))) : el("p", { class: "muted", text: "No subscriptions." });
  const metricsTable = metrics.e ? problem(metrics) : el("table", { id: "metrics" }, el("tbody", {}, parseMetrics(metrics.v).map(([k, v]) => el("tr", {}, el("td", { text: k }), el("td", { class: "num", text: k.includes("bytes") ? (v / 1048576).toFixed(1) + " MiB" : v })))));
  const thresholdTable = t.e ? problem(t) : el("table", {}, el("tbody", {}, Object.entries(t.v).flatMap(([media, v]) => typeof v === "object"
    ? Object.entries(v).map(([k, x]) => el("tr", {}, el("td", { text: media }), el("td", { text: k }), el("td", { class: "num", text: x })))
    : [el("tr", {}, el("td", { text: media }), el("td", {}), el("td", { class: "num", text: v }))])));
  return [
    el("h1", { text: "Operations" }),
    el("p", {}, "Server: ", health.e ? el("span", { class: "v-poor", text: health.e.message }) : el("span", { class: "v-good", text: health.v.trim() }),
      buildings.e ? "" : ` · building map: ${buildings.v.value.length} networks`),
    el("div", { class: "cols" },
      el("section", { class: "panel" }, el("h2", { text: "This tenant's call records" }), counts.e ? problem(counts) : el("table", { id: "tenant-counts" }, el("tbody", {},
        [["records", 0], ["with a poor stream", 1], ["good", 2], ["unclassified", 3]].map(([label, i]) => el("tr", {}, el("td", { text: label }), el("td", { class: "num", text: counts.v[i] })))))),
      el("section", { class: "panel" }, el("h2", { text: "Store (every tenant, from /metrics)" }), metricsTable),
      el("section", { class: "panel" }, el("h2", { text: "Quality thresholds in force" }), thresholdTable)),
    el("h2", { text: "Subscriptions" }), subsTable,
    el("p", { class: "muted", text: "Delivery state per subscription (queued, last delivered, failures) is not exposed by the API yet." }),
  ];
}

// ---- start ---------------------------------------------------------------------------------------------

function start() {
  const form = document.getElementById("token-form");
  const input = document.getElementById("token");
  input.value = sessionStorage.getItem(TOKEN_KEY) || "";
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const v = input.value.trim().replace(/^Bearer\s+/i, "");
    if (v) sessionStorage.setItem(TOKEN_KEY, v); else sessionStorage.removeItem(TOKEN_KEY);
    cache.clear();
    render();
  });
  document.getElementById("token-clear").addEventListener("click", () => { sessionStorage.removeItem(TOKEN_KEY); input.value = ""; cache.clear(); render(); });
  window.addEventListener("hashchange", () => { render(); main.focus({ preventScroll: true }); });
  thresholds().then((t) => { currentThresholds = t; }, () => {}).finally(render);
}

start();
