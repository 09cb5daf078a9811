"""The words of the demo's posts: dishes, tools and titles per pillar, the script
parts (hooks with their styles, bodies, calls to action, on-screen text),
captions, shots and the notes on a post, in English and Chinese.
"""

from __future__ import annotations

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
