"""The Publish tab: the publish queue by time, its detail, edit and new-publication forms."""
