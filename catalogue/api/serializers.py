"""Serializers of the catalogue API: the public read of categories, products and
storefronts, and the listings farmers and assistants write."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Role
from assistants.selectors import farmers_visible_to
from catalogue.models import LOW_STOCK, Category, Product
from catalogue.services.listings import LISTING_FIELDS
from farmers.models import Farmer

# --- Serializers ----------------------------------------------------------------


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="In the active language.")

    class Meta:
        model = Category
        fields = ["id", "slug", "name", "name_zh", "name_en", "position"]


class ProductImageSerializer(serializers.Serializer):
    """A photo's renditions (the original until the WebP renditions exist)."""

    thumbnail = serializers.SerializerMethodField()
    detail = serializers.SerializerMethodField()

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_thumbnail(self, image) -> str:
        return self._absolute(image.thumbnail_url)

    def get_detail(self, image) -> str:
        return self._absolute(image.detail_url)


class OriginCountySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class CatalogueProductSerializer(serializers.ModelSerializer):
    """What a buyer sees of a listing: no exact stock, nothing about the household
    but the public poverty-alleviation mark."""

    category = serializers.CharField(source="category.slug", read_only=True)
    stock_state = serializers.SerializerMethodField()
    storefront = serializers.CharField(source="farmer.slug", read_only=True)
    county = OriginCountySerializer(source="farmer.household.village.county")
    village = serializers.CharField(source="farmer.household.village.label")
    poverty_alleviation = serializers.BooleanField(
        source="is_poverty_alleviation_product", read_only=True
    )
    images = ProductImageSerializer(source="photos", many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "title",
            "description",
            "category",
            "unit",
            "net_weight_kg",
            "price",
            "stock_state",
            "storefront",
            "county",
            "village",
            "poverty_alleviation",
            "units_sold",
            "images",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(choices=["in_stock", "low", "out"], read_only=True)
    )
    def get_stock_state(self, product) -> str:
        if product.stock <= 0:
            return "out"
        return "low" if product.stock <= LOW_STOCK else "in_stock"


class StorefrontSerializer(serializers.ModelSerializer):
    """A farmer's public shop. Never household data (causes, registration, members)
    nor the phone number."""

    village = serializers.CharField(source="household.village.label", read_only=True)
    county = OriginCountySerializer(source="household.village.county", read_only=True)
    verified = serializers.BooleanField(source="is_verified", read_only=True)

    class Meta:
        model = Farmer
        fields = ["id", "shop_name", "slug", "story", "village", "county", "verified"]
        read_only_fields = fields


class ListingSerializer(serializers.ModelSerializer):
    """A listing as its farmer, their assistant, officials and staff see it."""

    farmer = serializers.IntegerField(source="farmer_id", read_only=True)
    storefront = serializers.CharField(source="farmer.slug", read_only=True)
    category = serializers.CharField(source="category.slug", read_only=True)
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    images = ProductImageSerializer(source="photos", many=True, read_only=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "farmer",
            "storefront",
            "category",
            "title",
            "description",
            "unit",
            "net_weight_kg",
            "price",
            "stock",
            "status",
            "rejection_reason",
            "submitted_at",
            "created_by",
            "created_at",
            "updated_at",
            "images",
        ]
        read_only_fields = fields


class ListingUpdateSerializer(serializers.ModelSerializer):
    """The fields a farmer or assistant may change (catalogue.services.listings
    .EDITABLE_FIELDS);
    the model's limits (title length, price range, stock ≥ 0) are checked here
    first, and again by the service."""

    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all()
    )

    class Meta:
        model = Product
        fields = list(LISTING_FIELDS)
        # The PostgreSQL column's limit, so SQLite (64-bit) answers the same.
        extra_kwargs = {"stock": {"max_value": 2_147_483_647}}


class ListingCreateSerializer(ListingUpdateSerializer):
    farmer = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The farmer the listing is for: required for assistants; "
        "farmers list for themselves.",
    )

    class Meta(ListingUpdateSerializer.Meta):
        fields = ["farmer", *ListingUpdateSerializer.Meta.fields]

    def validate_farmer(self, value: int) -> Farmer:
        # An unknown id and another's farmer get the same answer.
        farmer = farmers_visible_to(self.context["request"].user).filter(id=value)
        farmer = farmer.first()
        if farmer is None:
            raise serializers.ValidationError(_("None of your farmers has this id."))
        return farmer

    def validate(self, attrs):
        if "farmer" not in attrs:
            user = self.context["request"].user
            if user.role != Role.FARMER:
                raise serializers.ValidationError(
                    {"farmer": _("Choose the farmer this listing is for.")}
                )
            farmer = Farmer.objects.filter(user=user).first()
            if farmer is None:
                raise serializers.ValidationError(
                    {"farmer": _("Your account has no farmer profile yet.")}
                )
            attrs["farmer"] = farmer
        return attrs


class RejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000, help_text="Shown to the farmer.")


class PhotoUploadSerializer(serializers.Serializer):
    # A plain file: common.images.clean_photo decides what is a photo.
    image = serializers.FileField(help_text="JPEG, PNG or WebP, at most 5 MB.")


class ListingConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
