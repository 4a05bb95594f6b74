from ninja import Router

router = Router(tags=["Audit trail"])
