def workforce_demo(**_: object) -> list[str]:
    return []
