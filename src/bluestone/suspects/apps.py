from django.apps import AppConfig


class SuspectsConfig(AppConfig):
    name = "bluestone.suspects"
    label = "suspects"
    verbose_name = "Suspects"

    def ready(self) -> None:
        # Rules, event handlers, the case summary panel, the work source and the demo step: in one place.
        from bluestone.cases.events import PeopleChanged  # noqa: PLC0415
        from bluestone.core.events import subscribe  # noqa: PLC0415
        from bluestone.suspects import extensions, handlers, rules  # noqa: F401, PLC0415

        subscribe(PeopleChanged, handlers.on_people_changed)
        extensions.register()
