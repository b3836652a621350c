"""The gallery page's stylesheet and script, inlined into index.html (hashed in its Content-Security-Policy).

They live here as Python strings so an installed negobot carries them without package-data rules.
The script mirrors the engine's rules for the five live details; see bot/gallery/site.py.
"""

CSS = r"""
:root{--fg:#1d2330;--muted:#5b6474;--bg:#f6f7f9;--card:#fff;--line:#dde1e8;--accent:#07a35a;--accent-dark:#05794a;
--ph-bg:#fff1b8;--ph-fg:#6b4e00;--warn:#b42318;--radius:10px;--tap:44px;
font-family:system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Noto Sans CJK TC",sans-serif}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font-size:16px;line-height:1.55}
h1{font-size:1.35rem;margin:0 0 .25rem}
h2,h3,h4{line-height:1.3}
.top{background:var(--card);border-bottom:1px solid var(--line);padding:12px 14px}
.lede{margin:.2rem 0 .6rem;color:var(--muted);font-size:.95rem}
.controls{margin:0}
.row{margin:.3rem 0}
.grid{display:grid;grid-template-columns:1fr;gap:8px 12px}
.field{display:flex;flex-direction:column;gap:2px;font-size:.9rem;color:var(--muted);min-width:0}
.field input,.field select{font:inherit;color:var(--fg);min-height:var(--tap);padding:8px 10px;border:1px solid var(--line);
border-radius:8px;background:#fff;width:100%}
.field input:focus,.field select:focus,button:focus-visible{outline:3px solid #8fd3b0;outline-offset:1px}
.hint{color:var(--warn);min-height:0}
.hint:empty{display:none}
details.fill{border:1px solid var(--line);border-radius:var(--radius);margin:.5rem 0 0;padding:0 12px}
details.fill[open]{padding-bottom:12px}
details.fill summary{cursor:pointer;font-size:.95rem;font-weight:600;min-height:var(--tap);display:flex;align-items:center}
.buttons{flex-direction:row;align-items:flex-end;gap:8px}
button{font:inherit;min-height:var(--tap);min-width:var(--tap);padding:8px 16px;border-radius:8px;border:1px solid var(--line);
background:#fff;color:var(--fg);cursor:pointer;touch-action:manipulation}
button:hover{border-color:var(--accent)}
.langs{display:flex;flex-wrap:wrap;gap:6px}
.lang[aria-pressed="true"]{background:var(--accent);border-color:var(--accent);color:#fff}
.status{margin:.4rem 0 0;color:var(--muted);font-size:.9rem;min-height:1.2em}
main{padding:8px 10px 24px;max-width:1100px;margin:0 auto}
.pack-title{font-size:1rem;color:var(--muted);margin:.6rem 4px}
.scenario{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:12px 14px;margin:12px 0}
.scenario-title{font-size:1.15rem;margin:0 0 .4rem}
.scenario-title code{font-size:.75rem;color:var(--muted);font-weight:normal;word-break:break-all}
.seed{font-size:.75rem;color:var(--muted);font-weight:normal;white-space:nowrap}
.advice summary{cursor:pointer;font-weight:600;min-height:var(--tap);display:flex;align-items:center}
.advice h4{margin:.6rem 0 .2rem;font-size:.95rem}
.advice ol,.advice ul{margin:.2rem 0;padding-left:1.4rem}
.warnings li{color:var(--warn)}
.evidence{list-style:none;padding-left:0!important}
.evidence label{display:flex;gap:8px;align-items:flex-start;min-height:var(--tap);padding:6px 0;cursor:pointer}
.evidence input{width:22px;height:22px;margin:2px 0 0;flex:none}
.drafts-title{font-size:1rem;margin:.8rem 0 .2rem}
.drafts{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:1fr;gap:10px}
.draft{border:1px solid var(--line);border-radius:var(--radius);padding:10px 12px;background:#fcfcfd;min-width:0}
.draft-head{display:flex;gap:8px;align-items:flex-start;justify-content:space-between}
.draft h4{margin:.3rem 0;font-size:.98rem}
.aud{display:inline-block;font-size:.75rem;font-weight:600;border-radius:999px;padding:1px 8px;margin-right:4px;background:#e8f5ee;color:var(--accent-dark)}
.aud-platform{background:#e8eefb;color:#2a4ea2}
.aud-carrier{background:#fdf0e6;color:#9a4a07}
.copy{flex:none;background:var(--accent);border-color:var(--accent);color:#fff;font-weight:600}
.copy:hover{background:var(--accent-dark)}
.copy.done{background:#fff;color:var(--accent-dark)}
pre.text{white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere;font:inherit;margin:.4rem 0;background:#fff;
border:1px dashed var(--line);border-radius:8px;padding:10px;user-select:text}
mark.ph{background:var(--ph-bg);color:var(--ph-fg);border-radius:3px;padding:0 2px}
.why{margin:0 0 6px;color:var(--muted);font-size:.85rem}
.reading summary{cursor:pointer;color:var(--muted);font-size:.85rem;min-height:var(--tap);display:flex;align-items:center}
.meta{display:flex;flex-wrap:wrap;gap:4px 12px;margin:0;color:var(--muted);font-size:.8rem}
.count.over{color:var(--warn);font-weight:600}
.static{color:var(--warn)}
.nodrafts{color:var(--muted)}
.ladder{margin:1rem 0 0;border-top:1px solid var(--line);padding-top:.4rem}
.ladder-title{font-size:1rem;margin:.4rem 0 .2rem}
.ladder-lede,.ladder-note{margin:.2rem 0;color:var(--muted);font-size:.9rem}
.ladder-table{border-collapse:collapse;margin:.4rem 0;font-size:.9rem;max-width:100%}
.ladder-table th,.ladder-table td{border-bottom:1px solid var(--line);padding:2px 10px 2px 0;height:var(--tap);text-align:left;vertical-align:middle}
.ladder-table thead th{color:var(--muted);font-weight:600}
.ladder-table tbody th{font-weight:600;white-space:nowrap}
.ladder-table a,.step .see a{color:var(--accent-dark);display:inline-flex;align-items:center;min-height:var(--tap)}
.steps-ladder{list-style:none;margin:.4rem 0 0;padding:0}
.step{margin:.6rem 0 0;padding-left:10px;border-left:3px solid var(--accent)}
.step .said{margin:.2rem 0;font-size:.98rem}
.move-advice{margin:.1rem 0 .4rem;color:var(--muted);font-size:.88rem}
.step .see{margin:0;display:flex;flex-wrap:wrap;gap:0 14px}
.empty{text-align:center;color:var(--muted);padding:2rem 0}
footer{color:var(--muted);font-size:.8rem;text-align:center;padding:0 12px 24px}
.toast{position:fixed;left:50%;bottom:16px;transform:translateX(-50%);background:#1d2330;color:#fff;padding:10px 16px;
border-radius:999px;font-size:.9rem;opacity:0;pointer-events:none;transition:opacity .2s}
.toast.show{opacity:.95}
.offscreen{position:fixed;left:-9999px;top:0;opacity:0}
[hidden]{display:none!important}
@media (min-width:700px){
.grid{grid-template-columns:repeat(3,minmax(0,1fr))}
.field.wide{grid-column:span 1}
.top{padding:16px 24px}
.drafts{grid-template-columns:repeat(2,minmax(0,1fr))}
}
@media (min-width:1000px){.row.grid{grid-template-columns:2fr 1fr 1fr}}
@media print{
body{background:#fff;font-size:11pt}
.controls,.copy,.toast,.lede,.evidence input,.hint{display:none!important}
.top{border:0;padding:0}
main{max-width:none;padding:0}
.scenario{border:0;border-top:2px solid #000;border-radius:0;padding:8px 0;margin:0 0 8px;break-inside:auto}
.drafts{display:block}
.draft{border:1px solid #999;margin:0 0 8px;break-inside:avoid;page-break-inside:avoid}
.ladder-table{break-inside:avoid}
pre.text{border:0;padding:0;break-inside:avoid}
mark.ph{background:none;color:#000;border-bottom:1px dashed #000}
.advice summary{min-height:0}
details.advice>*{display:block}
}
"""

JS = r"""
(function () {
"use strict";
var DATA = JSON.parse(document.getElementById("gallery-data").textContent);
var S = DATA.sentinels, OPEN = DATA.marks[0], CLOSE = DATA.marks[1];
var BY_SENTINEL = {};
Object.keys(S).forEach(function (k) { BY_SENTINEL[S[k]] = k; });
var SENTINEL_RE = new RegExp("[" + Object.keys(S).map(function (k) { return S[k]; }).join("") + "]", "g");
var MARKS_RE = new RegExp("[" + OPEN + CLOSE + "]", "g");
var MARKED_SPLIT = new RegExp("(" + OPEN + "[^" + CLOSE + "]*" + CLOSE + ")");
var PACKS = {};
DATA.packs.forEach(function (p) {
  PACKS[p.id] = p;
  p.carrierNames = {};
  p.carriers.forEach(function (c) { p.carrierNames[c[0]] = c[1]; });
});
var CARRIER_RES = {};
Object.keys(DATA.carrierPatterns).forEach(function (id) {
  try { CARRIER_RES[id] = new RegExp(DATA.carrierPatterns[id]); } catch (e) { /* pattern JS cannot read: never inferred */ }
});
var STORE = "negobot-gallery-fields";
var FIELDS = ["shop", "signature", "amount", "tracking_number", "carrier"];
var state = { pack: DATA.packs[0].id, tone: DATA.tones[0], scenario: "", query: "",
  fields: { shop: DATA.initial.shop, signature: DATA.initial.signature, amount: "", tracking_number: "", carrier: "" } };
var api = { lastCopied: null, copies: 0 };

// ---- Python's whitespace and line rules (str.strip, str.splitlines), as Pack.render's tidy uses them
var WS = "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
var STRIP_RE = new RegExp("^" + WS + "+|" + WS + "+$", "g");
var RSTRIP_RE = new RegExp(WS + "+$");
var LINES_RE = /\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/;
function pyStrip(s) { return String(s || "").replace(STRIP_RE, ""); }
function tidy(text) {
  var out = [];
  pyStrip(text).split(LINES_RE).forEach(function (line) {
    line = line.replace(RSTRIP_RE, "");
    if (!line && out.length && !out[out.length - 1]) return;
    out.push(line);
  });
  return out.join("\n");
}

// ---- money: Babel's NumberPattern.apply for the pack's money_pattern (currency_digits=False)
function decimalParts(x) {
  var m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  var digits = m[1] + (m[2] || ""), point = m[1].length + (m[3] ? parseInt(m[3], 10) : 0);
  if (point <= 0) { digits = new Array(2 - point).join("0") + digits; point = 1; }
  if (point > digits.length) digits += new Array(point - digits.length + 1).join("0");
  return [digits.slice(0, point).replace(/^0+(?=\d)/, ""), digits.slice(point)];
}
function increment(ds) {
  var a = ds.split(""), i = a.length - 1;
  for (; i >= 0; i--) { if (a[i] === "9") { a[i] = "0"; } else { a[i] = String(+a[i] + 1); break; } }
  if (i < 0) a.unshift("1");
  return a.join("");
}
function quantize(intp, frac, n) {           // Decimal.quantize, ROUND_HALF_EVEN
  if (frac.length <= n) return [intp, frac + new Array(n - frac.length + 1).join("0")];
  var keep = frac.slice(0, n), rest = frac.slice(n), first = +rest.charAt(0);
  var last = +(n > 0 ? keep.charAt(n - 1) : intp.charAt(intp.length - 1));
  if (first > 5 || (first === 5 && (/[1-9]/.test(rest.slice(1)) || last % 2 === 1))) {
    var all = increment(intp + keep);
    return [all.slice(0, all.length - n), all.slice(all.length - n)];
  }
  return [intp, keep];
}
function formatMoney(x, m) {
  var q = quantize.apply(null, decimalParts(x).concat([m.fracMax]));
  var value = q[0], ret = "", g = m.grouping[0];
  if (value.length < m.intMin) value = new Array(m.intMin - value.length + 1).join("0") + value;
  while (value.length > g) { ret = m.group + value.slice(-g) + ret; value = value.slice(0, value.length - g); g = m.grouping[1]; }
  var frac = q[1] || "0", number = value + ret;
  if (frac.length < m.fracMin) frac += new Array(m.fracMin - frac.length + 1).join("0");
  if (!(m.fracMax === 0 || (m.fracMin === 0 && parseInt(frac, 10) === 0))) {
    while (frac.length > m.fracMin && frac.charAt(frac.length - 1) === "0") frac = frac.slice(0, -1);
    number += m.decimal + frac;
  }
  var s = m.prefix + number + m.suffix;
  if (s.indexOf("\u00a4") >= 0) s = s.split("\u00a4\u00a4").join("CNY").split("\u00a4").join(m.symbol);
  return s.replace(/'([^']*)'/g, function (_, inner) { return inner || "'"; });
}
DATA.packs.forEach(function (p) {      // trust the formatter only where it reproduces Babel exactly
  var m = p.money;
  if (!m.supported) return;
  for (var i = 0; i < m.samples.length; i++) {
    if (formatMoney(Number(m.samples[i][0]), m) !== m.samples[i][1]) {
      m.supported = false; m.reason = "self-check failed for " + m.samples[i][0]; break;
    }
  }
});
function parseAmount(raw) {
  var s = pyStrip(String(raw || "").normalize("NFKC")).toLowerCase();
  if (!s) return { empty: true };
  s = s.replace(/^(?:\u00a5|rmb|cny)\s*/, "").replace(/\s*(?:\u5143|\u5757\u94b1|\u5757|rmb|yuan|cny)$/, "").replace(/[,\s]/g, "");
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)$/.test(s)) return { error: "amount_invalid" };
  var x = Number(s);
  if (!(x > 0) || x > DATA.maxAmount) return { error: "amount_range" };
  return { value: x };
}
function normTracking(raw) { return String(raw || "").normalize("NFKC").toUpperCase().replace(/[\s\-]+/g, ""); }
function inferCarrier(number) {
  var found = Object.keys(CARRIER_RES).filter(function (id) { return CARRIER_RES[id].test(number); });
  return found.length === 1 ? found[0] : "";
}

// ---- the details the page fills, exactly as Engine.details makes them (a claim's value is the amount)
function details(pack, marked) {
  function ph(key) { return marked ? OPEN + pack.placeholders[key] + CLOSE : pack.placeholders[key]; }
  function typed(v) { v = pyStrip(v); return marked ? v.replace(MARKS_RE, "") : v; }
  var f = state.fields;
  var shop = typed(f.shop) || ph("shop");
  var signature = typed(f.signature) || pack.defaultSignature.split("{shop}").join(shop);
  var number = normTracking(f.tracking_number);
  if (marked) number = number.replace(MARKS_RE, "");
  var carrier = f.carrier || (number ? inferCarrier(number) : "");
  var amount = parseAmount(f.amount);
  return {
    shop: shop, signature: signature,
    amount: amount.value !== undefined && pack.money.supported ? formatMoney(amount.value, pack.money) : ph("amount"),
    value: amount.value !== undefined && pack.money.supported ? formatMoney(amount.value, pack.money) : ph("value"),
    tracking_number: number || ph("tracking_number"),
    carrier: carrier && pack.carrierNames[carrier] ? pack.carrierNames[carrier] : ph("carrier")
  };
}
function fill(template, det, keepMarks) {
  var t = keepMarks ? template : template.replace(MARKS_RE, "");
  return tidy(t.replace(SENTINEL_RE, function (c) { return det[BY_SENTINEL[c]]; }));
}
var PACK_OF = {};
function draftText(id, marked) {
  var pack = PACKS[PACK_OF[id]];
  if (!pack) return null;
  var template = pack.drafts[state.tone][id];
  if (template === null || template === undefined) return ((pack.fixed || {})[state.tone] || {})[id] || "";
  return fill(template, details(pack, !!marked), !!marked);
}

// ---- the page
function $(sel, root) { return (root || document).querySelector(sel); }
function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }
function section(id) { return $('section.pack[data-pack="' + id + '"]'); }
function renderMarked(pre, text) {
  pre.textContent = "";
  text.split(MARKED_SPLIT).forEach(function (part, i) {
    if (i % 2) {
      var mark = document.createElement("mark");
      mark.className = "ph";
      mark.textContent = part.slice(1, -1);
      pre.appendChild(mark);
    } else if (part) {
      pre.appendChild(document.createTextNode(part.replace(MARKS_RE, "")));
    }
  });
}
function renderPack() {
  var pack = PACKS[state.pack], ui = pack.ui;
  $$("li.draft", section(state.pack)).forEach(function (li) {
    var id = li.getAttribute("data-draft"), pre = $("pre.text", li);
    renderMarked(pre, draftText(id, true));
    var count = $(".count", li);
    if (pre.hasAttribute("data-limit")) {
      var n = Array.from(draftText(id, false)).length, limit = +pre.getAttribute("data-limit");
      count.textContent = ui.count.replace("{n}", n) + (n > limit ? " \u2014 " + ui.too_long : "");
      count.classList.toggle("over", n > limit);
    }
  });
  var hint = $("#amount-hint"), amount = parseAmount(state.fields.amount);
  hint.textContent = amount.error ? ui[amount.error]
    : (!pack.money.supported && amount.value !== undefined) ? ui.money_unsupported.replace("{pattern}", pack.money.pattern) : "";
  applyFilter();
}
var CHARMAP = DATA.charmap;
function fold(s) {
  s = String(s).normalize("NFKC").toLowerCase();
  var out = "";
  for (var i = 0; i < s.length; i++) { var ch = s.charAt(i); out += CHARMAP[ch] || ch; }
  return out;
}
function applyFilter() {
  var terms = fold(state.query).split(/\s+/).filter(Boolean), shown = 0;
  var sec = section(state.pack);
  $$("article.scenario", sec).forEach(function (article) {
    if (state.scenario && article.getAttribute("data-scenario") !== state.scenario) { article.hidden = true; return; }
    var head = fold($(".scenario-title", article).textContent + "\n" + article.getAttribute("data-scenario") + "\n" + $(".advice", article).textContent);
    var cards = $$("li.draft", article), visible = 0;
    cards.forEach(function (li) {
      var hay = head + "\n" + fold($("h4", li).textContent + "\n" + li.getAttribute("data-remedy") + " " +
        li.getAttribute("data-audience") + "\n" + draftText(li.getAttribute("data-draft"), false));
      var ok = terms.every(function (t) { return hay.indexOf(t) >= 0; });
      li.hidden = !ok;
      if (ok) visible++;
    });
    shown += visible;
    $$("li.step", article).forEach(function (step) {      // a ladder step without a matching draft folds away
      if ($("li.draft", step)) step.hidden = !$("li.draft:not([hidden])", step);
    });
    article.hidden = cards.length ? visible === 0 : !terms.every(function (t) { return head.indexOf(t) >= 0; });
  });
  var ui = PACKS[state.pack].ui;
  $("#empty").hidden = $$("article.scenario:not([hidden])", sec).length > 0;
  $("#status").textContent = ui.results.replace("{n}", shown);
}
function applyUi() {
  var pack = PACKS[state.pack], ui = pack.ui;
  document.documentElement.lang = ui.lang;
  document.title = ui.title;
  $("h1").textContent = ui.title;
  $(".lede").textContent = ui.lede;
  $$("[data-ui]").forEach(function (el) { el.textContent = ui[el.getAttribute("data-ui")]; });
  $$("[data-ui-placeholder]").forEach(function (el) { el.placeholder = ui[el.getAttribute("data-ui-placeholder")]; });
  $$("#tone option").forEach(function (o) { o.textContent = ui["tone_" + o.value]; });
  var titles = {};
  pack.scenarios.forEach(function (s) { titles[s[0]] = s[1]; });
  $$("#scenario option").forEach(function (o) { if (o.value) o.textContent = titles[o.value] || o.value; });
  $$("#f-carrier option").forEach(function (o) { if (o.value) o.textContent = pack.carrierNames[o.value] || o.value; });
  $$(".copy").forEach(function (b) { b.textContent = PACKS[PACK_OF[b.getAttribute("data-copy")]].ui.copy; });
  $("#empty").textContent = ui.empty;
  $("footer p").textContent = ui.footer.replace("{version}", DATA.version).replace("{date}", DATA.built);
}
function setPack(id) {
  if (!PACKS[id]) return;
  state.pack = id;
  $$("section.pack").forEach(function (s) { s.hidden = s.getAttribute("data-pack") !== id; });
  $$(".lang").forEach(function (b) { b.setAttribute("aria-pressed", String(b.getAttribute("data-pack") === id)); });
  applyUi();
  renderPack();
}
var toastTimer = null;
function toast(text) {
  var t = $("#toast");
  t.textContent = text;
  t.classList.add("show");
  clearTimeout(toastTimer);
  toastTimer = setTimeout(function () { t.classList.remove("show"); }, 1800);
}
function fallbackCopy(text) {
  var ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.className = "offscreen";
  document.body.appendChild(ta);
  ta.select();
  var ok = false;
  try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
  document.body.removeChild(ta);
  return ok;
}
function copyDraft(button) {
  var id = button.getAttribute("data-copy"), text = draftText(id, false), ui = PACKS[state.pack].ui;
  api.lastCopied = text;
  function done(ok) {
    api.copies++;
    toast(ok ? ui.copied : ui.copy_failed);
    if (ok) {
      button.classList.add("done");
      button.textContent = "\u2713 " + ui.copy;
      setTimeout(function () { button.classList.remove("done"); button.textContent = ui.copy; }, 1500);
    } else {
      var range = document.createRange(), sel = window.getSelection();
      range.selectNodeContents($("pre.text", button.closest("li")));
      sel.removeAllRanges();
      sel.addRange(range);
    }
  }
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
  } else {
    done(fallbackCopy(text));
  }
}
function save() { try { localStorage.setItem(STORE, JSON.stringify(state.fields)); } catch (e) { /* storage off */ } }
function restore() {
  try {
    var saved = JSON.parse(localStorage.getItem(STORE) || "null");
    if (saved && typeof saved === "object") FIELDS.forEach(function (k) { if (typeof saved[k] === "string") state.fields[k] = saved[k]; });
  } catch (e) { /* storage off or unreadable */ }
}
function syncInputs() { $$("[data-field]").forEach(function (el) { el.value = state.fields[el.getAttribute("data-field")] || ""; }); }

function init() {
  $$("section.pack").forEach(function (sec) {
    $$("li.draft", sec).forEach(function (li) { PACK_OF[li.getAttribute("data-draft")] = sec.getAttribute("data-pack"); });
  });
  if (!DATA.initial.shop && !DATA.initial.signature) restore();
  syncInputs();
  var anyField = FIELDS.some(function (k) { return state.fields[k]; });
  if (window.matchMedia && window.matchMedia("(max-width: 699px)").matches && !anyField) $("#fill").open = false;
  $("#controls").addEventListener("submit", function (e) { e.preventDefault(); });
  $$("[data-field]").forEach(function (el) {
    var handler = function () { state.fields[el.getAttribute("data-field")] = el.value; save(); renderPack(); };
    el.addEventListener("input", handler);
    el.addEventListener("change", handler);
  });
  $("#search").addEventListener("input", function (e) { state.query = e.target.value; applyFilter(); });
  $("#scenario").addEventListener("change", function (e) { state.scenario = e.target.value; applyFilter(); });
  $("#tone").addEventListener("change", function (e) { state.tone = e.target.value; renderPack(); });
  $$(".lang").forEach(function (b) { b.addEventListener("click", function () { setPack(b.getAttribute("data-pack")); }); });
  $("#clear").addEventListener("click", function () {
    FIELDS.forEach(function (k) { state.fields[k] = ""; });
    syncInputs(); save(); renderPack();
  });
  $("#print").addEventListener("click", function () { window.print(); });
  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button.copy") : null;
    if (b) copyDraft(b);
  });
  setPack(state.pack);
}
api.draftText = function (id) { return draftText(id, false); };
api.formatMoney = function (x, packId) { return formatMoney(x, PACKS[packId || state.pack].money); };
api.moneySupported = function (packId) { return PACKS[packId || state.pack].money.supported; };
api.state = state;
window.negobotGallery = api;
init();
})();
"""
