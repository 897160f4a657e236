from clubs.access import area_of


def user_area(request):
    """The user's area, for the navigation bar to show only what the role may use."""
    return {"area": area_of(getattr(request, "user", None))}
