"""What the demo's audience writes and what the team answers: comments by
language, the languages of each platform's audience, direct messages, the
authors' names and the saved replies.
"""

from __future__ import annotations

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
