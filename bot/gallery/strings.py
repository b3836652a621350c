"""The gallery page's own words, per pack locale (the drafts and advice come from the catalogue and packs)."""

from __future__ import annotations

AUDIENCE_LABELS = {
    "zh_CN": {"buyer": "发给买家", "platform": "协商描述（平台）", "carrier": "快递理赔函"},
    "zh_TW": {"buyer": "傳給買家", "platform": "協商描述（平台）", "carrier": "物流理賠函"},
    "en": {"buyer": "To the buyer", "platform": "Negotiation note (platform)", "carrier": "Claim letter to the carrier"},
}

NEGOTIATION_LABELS = {
    "zh_CN": {1: "协商类型 1：同意，邀请买家取消申请", 2: "协商类型 2：邀请买家核实、补充凭证", 3: "协商类型 3：修改买家的申请"},
    "zh_TW": {1: "協商類型 1：同意，邀請買家取消申請", 2: "協商類型 2：邀請買家核實、補充憑證", 3: "協商類型 3：修改買家的申請"},
    "en": {1: "Negotiation kind 1: agree, invite the buyer to cancel", 2: "Negotiation kind 2: invite the buyer to verify / add evidence",
           3: "Negotiation kind 3: amend the buyer's request"},
}

UI = {
    "zh_CN": {
        "lang": "zh-CN",
        "title": "negobot 退货协商话术库",
        "lede": "微信小店退货出问题时：先看平台操作建议，再复制话术粘贴到售后协商或聊天里。不要直接拒绝售后。",
        "language": "语言", "search": "搜索话术", "search_hint": "例如：单号、少件、partial refund",
        "scenario": "场景", "all": "全部场景", "tone": "语气", "tone_warm": "亲切", "tone_formal": "正式",
        "fill": "填入你的信息（话术实时更新，只保存在本机浏览器）", "shop": "店铺名称", "signature": "落款（留空则用“店铺名称客服”）",
        "amount": "退款金额（元）", "tracking": "退货单号", "carrier": "快递公司", "carrier_auto": "按单号自动识别",
        "clear": "清空", "print": "打印", "copy": "复制", "copied": "已复制到剪贴板", "copy_failed": "复制失败，请手动选中文本复制",
        "advice": "平台操作建议", "action": "平台操作：", "steps": "步骤", "warnings": "注意", "evidence": "留存证据（可勾选）",
        "drafts": "话术", "nodrafts": "这个场景没有话术：用一句话描述退货问题，再从上面的场景中选择。", "seed": "指南",
        "static": "此话术的模板会改写填入的信息，无法实时填充", "custom": "自定义话术包",
        "empty": "没有找到匹配的话术。换个词试试，或清空搜索。", "results": "显示 {n} 条话术",
        "count": "{n}/200 字", "too_long": "超过 200 字，请删减",
        "amount_invalid": "请输入金额数字，例如 20 或 1234.50", "amount_range": "金额需大于 0 且不超过 1,000,000",
        "money_unsupported": "此话术包的金额格式（{pattern}）不支持实时填充，金额保留占位符",
        "footer": "由 negobot {version} 生成于 {date}（话术中的日期以此为准）。离线可用，不联网。",
    },
    "zh_TW": {
        "lang": "zh-TW",
        "title": "negobot 退貨協商範本庫",
        "lede": "微信小店退貨出問題時：先看平台操作建議，再複製範本貼到售後協商或聊天中。不要直接拒絕售後。",
        "language": "語言", "search": "搜尋範本", "search_hint": "例如：單號、少件、partial refund",
        "scenario": "情境", "all": "全部情境", "tone": "語氣", "tone_warm": "親切", "tone_formal": "正式",
        "fill": "填入你的資訊（範本即時更新，只保存在本機瀏覽器）", "shop": "商店名稱", "signature": "署名（留空則用「商店名稱客服」）",
        "amount": "退款金額（元）", "tracking": "退貨單號", "carrier": "物流公司", "carrier_auto": "依單號自動辨識",
        "clear": "清除", "print": "列印", "copy": "複製", "copied": "已複製到剪貼簿", "copy_failed": "複製失敗，請手動選取文字複製",
        "advice": "平台操作建議", "action": "平台操作：", "steps": "步驟", "warnings": "注意", "evidence": "留存證據（可勾選）",
        "drafts": "範本", "nodrafts": "這個情境沒有範本：用一句話描述退貨問題，再從上方的情境中選擇。", "seed": "指南",
        "static": "此範本會改寫填入的資訊，無法即時填入", "custom": "自訂範本包",
        "empty": "找不到符合的範本。換個詞試試，或清除搜尋。", "results": "顯示 {n} 則範本",
        "count": "{n}/200 字", "too_long": "超過 200 字，請刪減",
        "amount_invalid": "請輸入金額數字，例如 20 或 1234.50", "amount_range": "金額需大於 0 且不超過 1,000,000",
        "money_unsupported": "此範本包的金額格式（{pattern}）不支援即時填入，金額保留預留位置",
        "footer": "由 negobot {version} 產生於 {date}（範本中的日期以此為準）。離線可用，不連網。",
    },
    "en": {
        "lang": "en",
        "title": "negobot return-negotiation templates",
        "lede": "When a WeChat Shop return goes wrong: read the platform advice, then copy a draft into After-sales → Negotiate or the chat. Never reject outright.",
        "language": "Language", "search": "Search drafts", "search_hint": "e.g. tracking, missing, 退款",
        "scenario": "Scenario", "all": "All scenarios", "tone": "Tone", "tone_warm": "Warm", "tone_formal": "Formal",
        "fill": "Your details (drafts update as you type; kept only in this browser)", "shop": "Shop name",
        "signature": "Signature (empty: “shop name Customer Service”)",
        "amount": "Refund amount (yuan)", "tracking": "Return tracking number", "carrier": "Carrier", "carrier_auto": "Detect from the number",
        "clear": "Clear", "print": "Print", "copy": "Copy", "copied": "Copied to the clipboard", "copy_failed": "Could not copy: select the text and copy it by hand",
        "advice": "What to do on the platform", "action": "Platform action:", "steps": "Steps", "warnings": "Warnings", "evidence": "Evidence to keep (tick as you go)",
        "drafts": "Drafts", "nodrafts": "No drafts for this case: describe the return problem in a sentence, or pick a scenario above.", "seed": "Guide",
        "static": "This pack's template reshapes the details, so it cannot be filled live", "custom": "custom pack",
        "empty": "No draft matches. Try another word, or clear the search.", "results": "Showing {n} drafts",
        "count": "{n}/200 characters", "too_long": "over 200 characters: shorten it",
        "amount_invalid": "Type the amount as a number, e.g. 20 or 1234.50", "amount_range": "The amount must be above 0 and at most 1,000,000",
        "money_unsupported": "This pack's money pattern ({pattern}) cannot be filled live; the amount stays a placeholder",
        "footer": "Generated by negobot {version} on {date} (dates in the drafts are as of that day). Works offline; no network.",
    },
}
