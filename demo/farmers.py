"""Demo people and produce for seed_demo: assistants in a county, farmers with their
households (some registered poor households), who manages whom, and the farmers'
listings with drawn placeholder photos. Bulk inserts, so the county-c-2018 preset's
2,000 farmers take seconds; idempotent (by username, and farmers without listings)."""

import random
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Role, User
from assistants.models import Assignment, Assistant
from catalogue.models import Category, Product, ProductImage, ProductStatus
from catalogue.services.listings import (
    product_approve,
    product_create,
    product_reject,
    product_submit,
    product_update,
)
from catalogue.services.photos import product_image_add
from catalogue.tasks import product_image_renditions
from counties.models import County
from farmers.models import Farmer, Household, PovertyCause, RegisterStatus

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN_NAMES = [
    "秀英",
    "桂英",
    "建国",
    "志强",
    "海燕",
    "玉兰",
    "明",
    "伟",
    "芳",
    "军",
    "丽",
    "强",
    "磊",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "超",
]
SUPPORT = [
    "产业扶持：养蜂技术培训",
    "电商培训与店铺运营指导",
    "小额信贷贴息",
    "公益岗位",
]


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES)


def _ensure_users(rng, usernames: list[str], role: str, password: str) -> list[User]:
    """Create the missing users (with the demo password hash); return all, in order."""
    existing = set(
        User.objects.filter(username__in=usernames).values_list("username", flat=True)
    )
    User.objects.bulk_create(
        [
            User(username=name, first_name=_name(rng), role=role, password=password)
            for name in usernames
            if name not in existing
        ]
    )
    by_name = User.objects.in_bulk(usernames, field_name="username")
    return [by_name[name] for name in usernames]


@transaction.atomic
def seed_people(
    rng: random.Random,
    *,
    county: County,
    assistant_names: list[str],
    farmer_names: list[str],
    phone_prefix: str,
    password: str,
    unassigned: int = 0,
) -> None:
    """Assistants in `county` and farmers spread over its villages, each farmer
    assigned round-robin (the last `unassigned` farmers have no assistant)."""
    villages = list(county.villages.order_by("name"))
    assistant_users = _ensure_users(rng, assistant_names, Role.ASSISTANT, password)
    Assistant.objects.bulk_create(
        [Assistant(user=user, county=county) for user in assistant_users],
        ignore_conflicts=True,
    )
    assistants = list(
        Assistant.objects.filter(user__in=assistant_users).order_by("user__username")
    )

    have_profile = set(
        Farmer.objects.filter(user__username__in=farmer_names).values_list(
            "user__username", flat=True
        )
    )
    todo = [
        (i, name) for i, name in enumerate(farmer_names) if name not in have_profile
    ]
    if not todo:
        return
    users = _ensure_users(rng, [name for _i, name in todo], Role.FARMER, password)
    households = []
    for (i, _username), user in zip(todo, users, strict=True):
        registered = rng.random() < 0.6
        year = rng.randint(2014, 2017)
        number = f"{county.code}{year}{phone_prefix[3:]}{i:04d}"
        households.append(
            Household(
                village=villages[i % len(villages)],
                head_name=user.first_name,
                members=rng.randint(1, 7),
                status=RegisterStatus.REGISTERED
                if registered
                else RegisterStatus.NEVER_REGISTERED,
                registration_number=number if registered else "",
                registration_year=year if registered else None,
                poverty_causes=sorted(
                    rng.sample(PovertyCause.values, rng.randint(1, 2))
                )
                if registered
                else [],
                support_measures=rng.choice(SUPPORT) if registered else "",
                expected_exit_year=rng.randint(2018, 2020) if registered else None,
            )
        )
    Household.objects.bulk_create(households)
    # Each shop's name used to be drawn here from ten kinds of produce; the draws
    # are kept so the listings drawn next, and the small preset's pinned order
    # history over them, come out as they always have.
    for _ in todo:
        rng.randrange(10)
    farmers = Farmer.objects.bulk_create(
        [
            Farmer(
                user=user,
                household=household,
                phone=f"{phone_prefix}{i:04d}",
                # Named after what it sells once it has listings (seed_products).
                shop_name=f"{user.first_name}的小店",
                slug=f"shop-{user.username}".replace("_", "-"),
            )
            for (i, _username), user, household in zip(
                todo, users, households, strict=True
            )
        ]
    )
    assignable = len(farmer_names) - unassigned
    Assignment.objects.bulk_create(
        [
            Assignment(
                farmer=farmer,
                assistant=assistants[i % len(assistants)],
                # From 2017, so the 2017 field work (assistants/demo.py) falls
                # within the assignment.
                started_on=date(2017, 1, 1 + i % 28),
                assigned_by=assistants[i % len(assistants)].user,
            )
            for (i, _username), farmer in zip(todo, farmers, strict=True)
            if i < assignable
        ]
    )


# Catalogue: (category slug, title, unit, net weight kg, price range in yuan)
PRODUCTS = [
    ("honey", "高山土蜂蜜", "bottle", "0.5", (48, 128)),
    ("honey", "百花蜜", "bottle", "1", (58, 98)),
    ("tea", "明前绿茶", "box", "0.25", (80, 260)),
    ("tea", "古树红茶", "bag", "0.5", (90, 300)),
    ("mushrooms-fungi", "干香菇", "bag", "0.5", (35, 80)),
    ("mushrooms-fungi", "黑木耳", "bag", "0.25", (25, 60)),
    ("nuts-dried-fruit", "薄皮核桃", "kg", "1", (30, 70)),
    ("nuts-dried-fruit", "板栗", "jin", "0.5", (10, 25)),
    ("grains-rice", "梯田红米", "bag", "5", (60, 120)),
    ("processed-foods", "农家辣椒酱", "bottle", "0.3", (18, 45)),
    ("meat-poultry-eggs", "散养土鸡蛋", "box", "1.5", (38, 78)),
    ("fresh-fruit", "高山猕猴桃", "box", "2.5", (45, 99)),
    ("vegetables", "有机小黄姜", "jin", "0.5", (6, 15)),
    ("handicrafts", "苗绣手工香包", "piece", "0.05", (35, 150)),
]
# What a shop whose main listing is this sells, as its name says it:
# 王秀英的猕猴桃小店. Each is a part of the listing's title.
SHOP_KINDS = {
    "高山土蜂蜜": "蜂蜜",
    "百花蜜": "百花蜜",
    "明前绿茶": "绿茶",
    "古树红茶": "红茶",
    "干香菇": "香菇",
    "黑木耳": "木耳",
    "薄皮核桃": "核桃",
    "板栗": "板栗",
    "梯田红米": "红米",
    "农家辣椒酱": "辣椒酱",
    "散养土鸡蛋": "土鸡蛋",
    "高山猕猴桃": "猕猴桃",
    "有机小黄姜": "黄姜",
    "苗绣手工香包": "苗绣",
}
PHOTO_COLOURS = {
    "honey": (222, 160, 40),
    "tea": (70, 120, 60),
    "mushrooms-fungi": (120, 90, 60),
    "nuts-dried-fruit": (150, 110, 70),
    "grains-rice": (170, 60, 50),
    "processed-foods": (200, 50, 30),
    "meat-poultry-eggs": (230, 200, 160),
    "fresh-fruit": (120, 160, 50),
    "vegetables": (90, 170, 90),
    "handicrafts": (60, 80, 160),
}


def _placeholder_photo(slug: str) -> ContentFile:
    """A drawn placeholder photo (nothing is downloaded): a coloured field with a
    simple shape in the category's colour."""
    colour = PHOTO_COLOURS.get(slug, (150, 150, 150))
    image = Image.new("RGB", (800, 600), tuple(min(255, c + 60) for c in colour))
    draw = ImageDraw.Draw(image)
    draw.ellipse((250, 150, 550, 450), fill=colour, outline=(255, 255, 255), width=12)
    draw.rectangle((0, 520, 800, 600), fill=tuple(max(0, c - 40) for c in colour))
    out = BytesIO()
    image.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue(), name=f"demo-{slug}.jpg")


@transaction.atomic
def seed_products(rng: random.Random, *, farmer_names: list[str], most: int) -> None:
    """1 to `most` listings for each named farmer that has none yet, mostly active,
    with one shared drawn photo per category (renditions made in-process); the
    shop is named after its first listing's kind (王秀英的猕猴桃小店)."""
    farmers = list(
        Farmer.objects.filter(user__username__in=farmer_names, products__isnull=True)
        .select_related("user", "household__village")
        .order_by("user__username")
    )
    if not farmers:
        return
    categories = {c.slug: c for c in Category.objects.all()}
    statuses = [ProductStatus.ACTIVE] * 8 + [ProductStatus.PENDING, ProductStatus.DRAFT]
    products = []
    for farmer in farmers:
        drawn = rng.sample(PRODUCTS, rng.randint(1, most))
        farmer.shop_name = f"{farmer.user.first_name}的{SHOP_KINDS[drawn[0][1]]}小店"
        for slug, title, unit, weight, (low, high) in drawn:
            status = rng.choice(statuses)
            products.append(
                Product(
                    farmer=farmer,
                    category=categories[slug],
                    title=title,
                    description=f"{farmer.household.village.name}{farmer.user.first_name}家的{title}。",
                    unit=unit,
                    net_weight_kg=Decimal(weight),
                    price=Decimal(rng.randint(low * 100, high * 100)) / 100,
                    stock=rng.choice([0, 3, 12, 40, 120]),
                    status=status,
                    submitted_at=timezone.now()
                    if status == ProductStatus.PENDING
                    else None,
                    created_by=farmer.user,
                )
            )
    Product.objects.bulk_create(products, batch_size=1000)
    Farmer.objects.bulk_update(farmers, ["shop_name"], batch_size=1000)
    photos = {}
    for slug in {p.category.slug for p in products}:
        photo = ProductImage(product=products[0], image=_placeholder_photo(slug))
        photo.image.save(photo.image.name, photo.image.file, save=False)
        photos[slug] = photo.image.name
    images = ProductImage.objects.bulk_create(
        [ProductImage(product=p, image=photos[p.category.slug]) for p in products],
        batch_size=1000,
    )
    # Renditions of each shared file once, then reused by every listing using it.
    done = {}
    for image in images:
        if image.image.name not in done:
            product_image_renditions(image.pk)
            image.refresh_from_db()
            done[image.image.name] = (image.thumbnail.name, image.detail.name)
    for image in images:
        image.thumbnail, image.detail = done[image.image.name]
    ProductImage.objects.bulk_update(images, ["thumbnail", "detail"], batch_size=1000)


# Listings that need their farmer's attention, on demo_farmer's home: (category
# slug, title, unit, net weight kg, price, stock, what happens to it, the reviewer's
# reason when rejected).
ATTENTION_LISTINGS = [
    (
        "fresh-fruit",
        "野生猕猴桃礼盒",
        "box",
        "2.5",
        "88.00",
        20,
        "rejected",
        "标题写的是“野生”，但描述和照片里是自家果园种的猕猴桃。请把标题改成"
        "实际情况，并写明每盒几个、单果大约多重后再提交。",
    ),
    ("processed-foods", "猕猴桃果酱", "bottle", "0.3", "32.00", 15, "sold-out", ""),
    ("handicrafts", "苗绣手工围巾", "piece", "0.2", "168.00", 5, "pending", ""),
]


@transaction.atomic
def seed_attention_listings(*, farmer_name: str) -> int:
    """Give the farmer one listing of each kind that needs attention, through the
    catalogue's services as the farmer and their assistant would: created with a
    photo and submitted by the farmer, then rejected with the reason, approved and
    sold out (the farmer sets the stock to 0), or left waiting for review. Does
    nothing if the farmer has them; returns how many it wrote."""
    farmer = (
        Farmer.objects.select_related("user", "household__village")
        .filter(user__username=farmer_name)
        .first()
    )
    titles = [title for _s, title, *_rest in ATTENTION_LISTINGS]
    if farmer is None or farmer.products.filter(title__in=titles).exists():
        return 0
    categories = {c.slug: c for c in Category.objects.all()}
    by = farmer.user
    for slug, title, unit, weight, price, stock, fate, reason in ATTENTION_LISTINGS:
        product = product_create(
            farmer=farmer,
            created_by=by,
            category=categories[slug],
            title=title,
            description=f"{farmer.household.village.name}{by.first_name}家的{title}。",
            unit=unit,
            net_weight_kg=Decimal(weight),
            price=Decimal(price),
            stock=stock,
        )
        product_image_add(
            product=product, upload=_placeholder_photo(slug), changed_by=by
        )
        product = product_submit(product=product, actor=by)
        if fate == "rejected":
            product_reject(product=product, reason=reason)
        elif fate == "sold-out":
            product = product_approve(product=product)
            product_update(product=product, changed_by=by, stock_seen=stock, stock=0)
    return len(ATTENTION_LISTINGS)


def seed_farmer_phones() -> int:
    """Each farmer's phone, registered by their assistant, becomes their verified
    phone (it signs in by code and takes text messages), last of all, so the
    demo's own history texts nobody. Returns how many were set."""
    phone = Farmer.objects.filter(user=OuterRef("pk")).values("phone")[:1]
    return User.objects.filter(role=Role.FARMER, phone="", farmer__isnull=False).update(
        phone=Subquery(phone), phone_verified_at=timezone.now()
    )
