"""The words of the demo workspace: pillars, accounts, titles, script parts,
comments in several languages, saved replies, brand deals and ffmpeg failures.

The demo team ("Pantry Lab", 食验室) makes food shorts in English for TikTok,
YouTube Shorts and Instagram Reels, and street-food shorts in Chinese for
Kuaishou. Only data lives here; app/demo*.py decides where it goes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PillarSpec:
    """A series of the demo team, and how its posts are written and published."""

    key: str
    name: str
    color: str
    share: float
    description: str
    lang: str  # "en" or "zh"
    target_seconds: tuple[int, ...]
    slots: tuple[str, ...]  # local posting times
    tags: tuple[str, ...]


PILLARS: tuple[PillarSpec, ...] = (
    PillarSpec(
        "recipes",
        "60-Second Recipes",
        "green",
        0.35,
        "One dish, one pan, one minute. The channel's bread and butter.",
        "en",
        (45, 60),
        ("12:30", "19:00"),
        ("recipe", "quick", "dinner"),
    ),
    PillarSpec(
        "gear",
        "Kitchen Gear",
        "blue",
        0.2,
        "Honest tests of tools viewers ask about; brand deals land here.",
        "en",
        (30, 45),
        ("12:30", "19:00"),
        ("gear", "review"),
    ),
    PillarSpec(
        "bts",
        "Behind the Scenes",
        "magenta",
        0.15,
        "How the shorts get made: failures, set-ups, the team.",
        "en",
        (20, 30),
        ("19:00",),
        ("bts", "team"),
    ),
    PillarSpec(
        "street",
        "街头小吃",
        "yellow",
        0.3,
        "街头小吃探店，快手专栏（中文）。Street food for the Kuaishou audience.",
        "zh",
        (30, 45, 60),
        ("12:00", "20:00"),
        ("街头小吃", "探店"),
    ),
)

# (platform, handle, display name, external id)
ACCOUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("tiktok", "pantrylab", "Pantry Lab", "7231984401122334721"),
    ("youtube", "PantryLabShorts", "Pantry Lab", "UCp4ntryL4bSh0rts0000001"),
    ("instagram", "pantry.lab", "Pantry Lab", "17841400000000042"),
    ("kuaishou", "shiyanshi_pantry", "食验室 Pantry Lab", "3xq7pantrylab"),
)
# Platforms each pillar goes out on: (platform, chance).
PILLAR_PLATFORMS: dict[str, tuple[tuple[str, float], ...]] = {
    "recipes": (("tiktok", 1.0), ("youtube", 0.7), ("instagram", 0.6)),
    "gear": (("tiktok", 1.0), ("youtube", 0.8), ("instagram", 0.5)),
    "bts": (("tiktok", 1.0), ("instagram", 0.7)),
    "street": (("kuaishou", 1.0), ("instagram", 0.25)),
}
# (platform, weekday 0=Mon..6, local time) — the best-time grid per account.
SLOT_GRID: dict[str, tuple[tuple[tuple[int, ...], str], ...]] = {
    "tiktok": (((0, 1, 2, 3, 4, 5, 6), "12:30"), ((0, 1, 2, 3, 4, 5, 6), "19:00")),
    "youtube": (((1, 3, 5), "17:00"),),
    "instagram": (((0, 2, 4), "18:00"), ((5,), "11:00")),
    "kuaishou": (((0, 1, 2, 3, 4, 5, 6), "12:00"), ((0, 1, 2, 3, 4, 5, 6), "20:00")),
}

DISHES_EN = (
    "garlic butter noodles",
    "crispy chickpeas",
    "one-pan gnocchi",
    "miso salmon",
    "smash burger tacos",
    "chili crisp eggs",
    "5-minute hummus",
    "lemon pasta",
    "sheet-pan fajitas",
    "honey garlic tofu",
    "cacio e pepe",
    "banana oat pancakes",
    "peanut noodles",
    "shakshuka",
    "potato rosti",
    "kimchi fried rice",
)
TITLES: dict[str, tuple[str, ...]] = {
    "recipes": (
        "{dish} in 60 seconds",
        "The only {dish} you need",
        "{dish}, no recipe needed",
        "Fridge-clearing {dish}",
        "{dish} for people who hate cooking",
        "Weeknight {dish}",
    ),
    "gear": (
        "Is the $30 {tool} worth it?",
        "{tool}: 3 months later",
        "Cheap vs pricey {tool}",
        "The {tool} mistake everyone makes",
        "Stop buying this {tool}",
    ),
    "bts": (
        "How we shoot overhead without a rig",
        "Our worst take this month",
        "A day on set: {dish}",
        "Lighting a tiny kitchen",
        "Why this video took 3 days",
        "Editing {dish} in 10 minutes",
    ),
    "street": (
        "凌晨三点的{dish}",
        "一块钱的{dish}值不值",
        "老街{dish}，排队两小时",
        "十年老店的{dish}",
        "第一次吃{dish}",
        "夜市{dish}大测评",
    ),
}
TOOLS_EN = (
    "cast-iron skillet",
    "chef's knife",
    "air fryer",
    "rice cooker",
    "mandoline",
    "immersion blender",
    "carbon steel wok",
    "instant-read thermometer",
)
DISHES_ZH = (
    "煎饼果子",
    "肉夹馍",
    "臭豆腐",
    "烤冷面",
    "生煎包",
    "螺蛳粉",
    "糖葫芦",
    "羊肉串",
    "鸡蛋灌饼",
    "章鱼小丸子",
    "酸辣粉",
    "炸串",
)

HOOKS = {
    "en": (
        "You're cooking {dish} wrong, and it's not your fault.",
        "This {dish} costs less than your coffee.",
        "I made {dish} every day for a week. Here's what stuck.",
        "Stop scrolling: {dish}, one pan, one minute.",
    ),
    "zh": (
        "你吃过凌晨三点的{dish}吗？",
        "一块钱的{dish}，到底值不值？",
        "这家{dish}，老板干了整整十年。",
        "别划走！今天带你吃最地道的{dish}。",
    ),
}
# The style of each hook above, in the same order (a post's `hook:<style>` tag).
HOOK_STYLES = {
    "en": ("wrong-way", "price", "story", "stop-scroll"),
    "zh": ("question", "price", "story", "stop-scroll"),
}
# How far each hook style carries a post (the demo's numbers show a difference).
HOOK_LIFT = {
    "wrong-way": 1.15,
    "price": 0.9,
    "story": 1.0,
    "stop-scroll": 1.3,
    "question": 1.2,
}
BODIES = {
    "en": (
        "Heat the pan first, then the fat. Season in layers, taste as you go, and "
        "finish with something sharp: lemon, vinegar or pickles.",
        "Three ingredients do the heavy lifting here. Everything else is optional, "
        "so swap in what is already in your fridge.",
        "Most people crowd the pan. Cook in two batches and you get colour instead of steam.",
    ),
    "zh": (
        "老板说，秘诀就在火候：大火快炒，出锅前再淋一勺热油。",
        "排队的人从晚上八点排到十点，我们也跟着排了一个多小时。",
        "面糊要现调，鸡蛋要现打，酱料是老板自己熬的。",
    ),
}
CTAS = {
    "en": (
        "Save this for tonight and tell me what you'd add.",
        "Follow for a new one-pan dinner every day.",
        "Comment your fridge leftovers and I'll build the next recipe around them.",
    ),
    "zh": (
        "你们那边有什么好吃的小吃？评论区告诉我！",
        "点个关注，下期带你们去吃更地道的。",
        "觉得值的扣1，不值的扣2。",
    ),
}
ON_SCREEN = {
    "en": ("1 pan · 60 s · 4 ingredients", "SAVE FOR LATER", "Part 1 of 3"),
    "zh": ("人均15元", "老街 · 十年老店", "营业时间：晚8点—凌晨3点"),
}
CAPTIONS = {
    "en": (
        "{title} 🍳 Full recipe in the comments. #cooking #easyrecipe #foodtok",
        "{title}. Would you try it? #quickdinner #recipe",
        "{title} — tell me what to cook next! #kitchen #shorts",
    ),
    "zh": (
        "{title} #街头小吃 #美食探店",
        "{title}，你们觉得值不值？#小吃 #夜市",
    ),
}
# (description, framing, location)
SHOTS = {
    "en": (
        ("Hands drop ingredients onto the board", "overhead", "home kitchen"),
        ("Oil shimmering in the pan", "close-up", "home kitchen"),
        ("Toss and flip, steam rising", "medium", "home kitchen"),
        ("Plating with the window light", "45°", "studio table"),
        ("First bite reaction", "medium close-up", "studio table"),
        ("Product on the counter, label visible", "close-up", "studio"),
    ),
    "zh": (
        ("街口招牌和排队的人群", "远景", "老街口"),
        ("老板摊面糊、打鸡蛋", "特写", "摊位"),
        ("热油下锅，冒烟", "特写", "摊位"),
        ("出锅装袋，递给顾客", "中景", "摊位"),
        ("第一口试吃反应", "近景", "路边"),
        ("夜市全景延时", "远景", "夜市"),
    ),
}
NOTES = (
    "",
    "",
    "",
    "Need the red skillet back from the studio.",
    "Re-shoot the hook: too slow in the first 2 s.",
    "Check the music licence before posting.",
    "Viewer request from the comments.",
    "Pair with the next recipe as a two-parter.",
)
ZH_NOTES = ("", "", "老板同意出镜，拍摄前再确认一次。", "夜里光线差，带补光灯。")

# Comments by language; "{dish}" is filled in from the post.
COMMENTS: dict[str, tuple[str, ...]] = {
    "en": (
        "Made this tonight and my kids actually ate it",
        "What pan is that?",
        "Can I use an air fryer instead?",
        "this is the way",
        "How long does it keep in the fridge?",
        "Need the full recipe please!!",
        "you had me at garlic",
        "Tried it, way too salty for me — how much soy did you use?",
        "Link to the knife?",
        "Posting every day is insane, how do you do it",
        "Vegetarian version?",
        "The sound of that sizzle 🤤",
    ),
    "es": (
        "¡Qué rico! Lo hago este finde",
        "¿Se puede hacer sin gluten?",
        "Me encanta este canal",
        "¿Dónde compraste esa sartén?",
    ),
    "pt": ("Que delícia, vou fazer hoje!", "Tem versão sem lactose?", "Amei a receita"),
    "fr": ("Trop bon, merci pour l'idée !", "On peut remplacer le beurre ?"),
    "de": ("Sieht super aus, probiere ich morgen", "Welche Pfanne ist das?"),
    "ja": ("美味しそう！週末に作ってみます", "このフライパンはどこのですか？"),
    "zh": (
        "这家店在哪里？求地址！",
        "看饿了，明天就去",
        "一块钱也太便宜了吧",
        "老板人真好",
        "我们这边的更好吃，欢迎来尝尝",
        "排队两小时值得吗？",
        "下次去吃臭豆腐吧",
        "请问营业到几点？",
        "求带我一个",
        "这个价格良心了",
    ),
}
PLATFORM_LANGS: dict[str, tuple[tuple[str, float], ...]] = {
    "tiktok": (("en", 0.65), ("es", 0.15), ("pt", 0.1), ("zh", 0.1)),
    "youtube": (("en", 0.7), ("de", 0.15), ("es", 0.15)),
    "instagram": (("en", 0.6), ("pt", 0.15), ("fr", 0.1), ("ja", 0.15)),
    "kuaishou": (("zh", 1.0),),
}
DMS = (
    "Hi! We're a cookware brand and would love to work with you. Who handles partnerships?",
    "Hey, can I use your garlic noodle clip in a compilation? Will credit.",
    "你好，我们是一家调味品公司，想和你们合作推广，方便留个联系方式吗？",
    "Your video was shared in our newsletter, thought you'd like to know!",
)
AUTHORS: dict[str, tuple[str, ...]] = {
    "en": ("hungry_hannah", "mike.cooks", "dadbod_chef", "sara_in_sf", "noodle_nerd", "jen_eats"),
    "es": ("lucia.cocina", "carlos_mx"),
    "pt": ("ana.receitas",),
    "fr": ("chloe_mange",),
    "de": ("kochmitkai",),
    "ja": ("yuki_gohan",),
    "zh": ("吃货小王", "夜市达人", "北京大妞", "深夜食堂", "小吃猎人", "老饕阿明"),
}

SAVED_REPLIES: tuple[tuple[str, str], ...] = (
    ("recipe-link", "Full recipe is pinned in the first comment — enjoy!"),
    ("pan", "It's a 28 cm carbon steel pan; the link is in our bio."),
    (
        "collab",
        "Thanks for reaching out! Please email partnerships@pantrylab.example and we'll get back within 2 days.",
    ),
    (
        "reuse",
        "You're welcome to share the clip with credit (@pantrylab) and a link to the original.",
    ),
    ("地址", "地址已置顶在评论区，欢迎打卡！"),
    ("合作", "感谢关注！合作请发邮件到 partnerships@pantrylab.example，我们两天内回复。"),
)

# name, contact, email, notes, category, competitors
PARTNERS: tuple[tuple[str, str, str, str, str, tuple[str, ...]], ...] = (
    (
        "Copperline Cookware",
        "Dana Reyes",
        "dana@copperline.example",
        "Pays net 30. Wants raw footage for ads.",
        "cookware",
        ("Ironclad Pans",),
    ),
    (
        "Sunny Oat Co.",
        "Jonas Berg",
        "jonas@sunnyoat.example",
        "EU brand; German and English captions.",
        "breakfast",
        (),
    ),
    (
        "川味坊 Sichuan Pantry",
        "李婷",
        "liting@chuanweifang.example",
        "快手专场，需要口播提到品牌名。",
        "condiments",
        (),
    ),
    (
        "Lumen Lights",
        "Priya Shah",
        "priya@lumen.example",
        "First contact at a trade show.",
        "lighting",
        (),
    ),
)


@dataclass(frozen=True)
class DemoItem:
    """A deliverable of a demo deal: due `day` days from today (17:00 local)."""

    description: str
    day: int
    state: str
    pillar: str = ""  # the pillar of the post it is linked to ("" = none yet)


@dataclass(frozen=True)
class DemoDeal:
    """A demo brand deal, what its deliverables must carry, and its deliverables."""

    partner: int  # index into PARTNERS
    title: str
    fee_minor: int
    currency: str
    stage: str
    disclosure: str  # the wording in the caption
    methods: tuple[str, ...]  # flag / hashtag / label
    items: tuple[DemoItem, ...]
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    approval: bool = False
    promised: tuple[tuple[str, float], ...] = ()
    usage_rights: str = ""
    exclusive_days: int = 0  # days of exclusivity from signing (0: none)
    invoice: tuple[str, int, int] | None = None  # number, issued days ago, due days ago


DEALS: tuple[DemoDeal, ...] = (
    DemoDeal(
        0,
        "Holiday skillet series (3 videos)",
        450000,
        "USD",
        "in_production",
        "#ad",
        ("hashtag", "flag"),
        (
            DemoItem("Video 1: skillet smash burgers", -12, "live", "gear"),
            DemoItem("Video 2: skillet gift guide", 2, "to_do", "gear"),
            DemoItem("Video 3: care and seasoning", 9, "to_do"),
        ),
        hashtags=("#copperlinecooks",),
        mentions=("@copperline",),
        platforms=("tiktok", "youtube", "instagram"),
        promised=(("views", 150000.0), ("engagement_rate", 0.05)),
        usage_rights="Organic only; paid usage of the videos needs a new agreement.",
        exclusive_days=60,
    ),
    DemoDeal(
        1,
        "Breakfast in 60 s (1 reel + 3 stories)",
        180000,
        "EUR",
        "contracted",
        "#werbung",
        ("hashtag",),
        (
            DemoItem("Reel draft for approval", 5, "draft_sent", "recipes"),
            DemoItem("Three stories on launch day", 11, "to_do"),
        ),
        mentions=("@sunnyoat",),
        platforms=("instagram",),
        approval=True,
        usage_rights="Brand may repost the reel on its own channels for 90 days.",
    ),
    DemoDeal(
        2,
        "快手 麻辣酱 推广 ×2",
        1200000,
        "CNY",
        "in_production",
        "广告",
        ("hashtag",),
        (
            DemoItem("第一条：夜市麻辣串探店", 1, "to_do", "street"),
            DemoItem("第二条：在家复刻麻辣烫", 14, "to_do"),
        ),
        platforms=("kuaishou",),
        promised=(("views", 400000.0),),
    ),
    DemoDeal(
        3,
        "Creator light kit review",
        90000,
        "USD",
        "negotiating",
        "#ad",
        ("hashtag", "flag"),
        (DemoItem("Review video", 24, "to_do"),),
    ),
    DemoDeal(
        0,
        "Knife care tips (2 videos)",
        200000,
        "USD",
        "invoiced",
        "#ad",
        ("hashtag",),
        (
            DemoItem("Knife care part 1", -40, "live"),
            DemoItem("Knife care part 2", -33, "live"),
        ),
        mentions=("@copperline",),
        invoice=("PL-2026-031", 32, 2),
    ),
)

RECIPES = (
    "platform_encode",
    "vertical_reframe",
    "trim_concat",
    "loudness",
    "burn_subtitles",
    "watermark",
)
# (last_error, log tail) of render jobs that failed; paths are the edit box's footage share.
RENDER_FAILURES: tuple[tuple[str, str], ...] = (
    (
        "ffmpeg exited with status 1: /srv/footage/2026-cards/C0042.MP4: Invalid data found when processing input",
        "ffmpeg version 5.1.9-0+deb12u1 Copyright (c) 2000-2026 the FFmpeg developers\n"
        "  built with gcc 12 (Debian 12.2.0-14)\n"
        "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d1c2a4b2c0] moov atom not found\n"
        "/srv/footage/2026-cards/C0042.MP4: Invalid data found when processing input",
    ),
    (
        "ffmpeg exited with status 1: Error initializing filter 'subtitles' (captions file not found)",
        "Input #0, mov,mp4,m4a,3gp,3g2,mj2, from '/srv/footage/2026-cards/IMG_4471.MOV':\n"
        "  Duration: 00:00:41.27, start: 0.000000, bitrate: 15873 kb/s\n"
        "  Stream #0:0[0x1](und): Video: hevc (Main 10) (hvc1 / 0x31637668), yuv420p10le(tv), 1920x1080, 29.97 fps\n"
        "[Parsed_subtitles_1 @ 0x5630a8e1f900] Unable to open /srv/renders/captions/post-17.srt\n"
        "[AVFilterGraph @ 0x5630a8e0d440] Error initializing filter 'subtitles' with args '/srv/renders/captions/post-17.srt'\n"
        "Error reinitializing filters!\n"
        "Failed to inject frame into filter network: No such file or directory\n"
        "Error while processing the decoded data for stream #0:0",
    ),
    (
        "ffmpeg exited with status 1: av_interleaved_write_frame(): No space left on device",
        "frame= 1262 fps= 48 q=23.0 size=   38912kB time=00:00:42.07 bitrate=7576.1kbits/s speed=1.61x\n"
        "[mp4 @ 0x55f0e3c1a8c0] Application provided invalid, non monotonically increasing dts to muxer in stream 1\n"
        "av_interleaved_write_frame(): No space left on device\n"
        "[mp4 @ 0x55f0e3c1a8c0] moov atom not written: No space left on device\n"
        "Error writing trailer of /srv/renders/post-23-platform_encode.mp4.partial: No space left on device\n"
        "Conversion failed!",
    ),
)
EVENT_ACTORS = ("mei", "tom", "worker", "watch")
