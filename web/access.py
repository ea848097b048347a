"""Who may do what on the dashboard: the one check every route asks (STYLE lesson 15; datasette's
permission_allowed). Dinsos admins and pengurus share one server; a pengurus session is bound to the kecamatan its
login link was made for, and sees that kecamatan and nothing else."""

from __future__ import annotations

from storage.dashboard import Session

SIGNED_IN = "masuk"  # any live session: Keluar, and the Program kerja entry that sends each to their own page
DINSOS = "dinsos"  # the Dinsos pages: all 40 kecamatan, laporan and photos, reviews, export, plans to decide
OWN_KECAMATAN = "kecamatan_sendiri"  # a pengurus's own kecamatan: its plan (edit, submit), realization, history

ACTIONS = (SIGNED_IN, DINSOS, OWN_KECAMATAN)


def allowed(session: Session | None, action: str, kecamatan_code: str | None = None) -> bool:
    """Whether this session may do `action` (on `kecamatan_code`, for OWN_KECAMATAN). No session may do nothing."""
    if action not in ACTIONS:
        raise ValueError(action)
    if session is None:
        return False
    if action == SIGNED_IN:
        return True
    if action == DINSOS:
        return session.kecamatan_code is None
    return session.kecamatan_code is not None and session.kecamatan_code == kecamatan_code


def refusal(session: Session) -> str:
    """The error page for a live session that was refused: the page belongs to the other role."""
    return "only_pengurus" if session.kecamatan_code is None else "only_dinsos"
