"""build_application(config): the whole bot wired and ready; running it is somebody else's job."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import backup, review_decision, wilayah
from bot.clock import Clock, SystemClock
from bot.commands import keep_publishing
from bot.config import Config
from bot.context import BotApplication, BotContext, BotData
from bot.durable import INBOX_RETENTION, DurableApplication, DurableQueue, InboxRequest, replay_unfinished
from bot.outbox_sender import OutboxSender, PayloadKind
from bot.program_kerja import review as plan_review
from bot.ptb_retries import INITIALIZE_RETRIES, PreparedUpdater, RetryLoggingBot
from bot.ratelimit import FloodLimiter
from bot.sending import follow_migration
from bot.startup import up_to_date
from bot.update_order import PerChatUpdateProcessor
from bot.xlsform import builtin as builtin_forms
from bot.xlsform import review as xform_review
from handlers import (
    acknowledgements,
    admin,
    admin_notices,
    announcement_status,
    announcements,
    approval,
    dashboard,
    export,
    fallback,
    form_entry,
    form_submission,
    help,
    membership,
    my_reports,
    private_messages,
    program_kerja,
    program_kerja_excel,
    program_kerja_fill,
    program_kerja_review,
    program_kerja_schedule,
    recap,
    registration,
    relay,
    relay_delivery,
    reminders,
    review,
    status,
    xlsform_admin,
    xlsform_correction,
    xlsform_fill,
    xlsform_group,
    xlsform_reminders,
    xlsform_review,
)
from handlers.acknowledgements import ACK_PATTERN, NUDGE_CHECK_EVERY, NUDGE_JOB, NudgeKind
from handlers.admin_notices import DECIDE_PATTERN
from handlers.ann_delivery import AnnouncementKind
from handlers.errors import ALERT_KIND, on_error, remember
from storage import inbox
from storage.db import Database
from storage.reminders import DIGEST_KIND, REMINDER_KIND

logger = logging.getLogger(__name__)

# my_chat_member is how we learn the bot was added, removed or blocked; it is delivered by default, but naming
# the list keeps a previous deployment's setting from silently dropping it.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]


def build_application(
    config: Config, *, clock: Clock | None = None, rate_limiter: FloodLimiter | None = None
) -> BotApplication:
    """Every handler registered in one ordered block; storage opened in post_init, closed in post_shutdown.

    `clock` and `rate_limiter` let tests run the bot on time they control.
    """
    # One region per process: every kecamatan list, name match and sentence from here on follows WILAYAH_KODE.
    wilayah.use(config.wilayah_kode, config.dinas_nama)
    bot_data = BotData(config=config, clock=clock or SystemClock())
    queue = DurableQueue()
    bot = RetryLoggingBot(
        config.bot_token,
        base_url=config.base_url,
        base_file_url=config.base_file_url,
        # Eight connections carry the outbox's eight sends at once; more cost CPU on every call (httpcore checks
        # each open connection per request): about 10 % of the bot's CPU at 16 in bench.forms.
        request=HTTPXRequest(connection_pool_size=8),
        get_updates_request=InboxRequest(queue),
        rate_limiter=rate_limiter or FloodLimiter(pacing=config.flood_pacing),
        defaults=Defaults(tzinfo=config.timezone),
    )
    application: BotApplication = (
        ApplicationBuilder()
        .application_class(DurableApplication)
        # Without its deleteWebhook/setWebhook: bot.startup has made that call, waiting for Telegram to answer.
        .updater(PreparedUpdater(bot, queue))
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    application.bot_data.config = bot_data.config
    application.bot_data.clock = bot_data.clock
    _register_handlers(application)
    return application


def _register_handlers(app: BotApplication) -> None:
    # Note: order matters. Group 0 holds every capability; the first matching handler wins, so the catch-alls
    # come last. Service messages (migration, renames) and membership changes come first because they carry no
    # command and must never be swallowed by a fallback.
    private = filters.ChatType.PRIVATE
    # Group -1, before everything: the log lines of each update name its chat and kecamatan (configure_logging).
    app.add_handler(TypeHandler(Update, remember), group=-1)
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, membership.migrated))
    app.add_handler(MessageHandler(filters.StatusUpdate.NEW_CHAT_TITLE, membership.renamed))
    app.add_handler(ChatMemberHandler(membership.my_chat_member, ChatMemberHandler.MY_CHAT_MEMBER))

    app.add_handler(CommandHandler("start", help.start))
    app.add_handler(CommandHandler("bantuan", help.bantuan))
    app.add_handler(CommandHandler("daftar", registration.daftar))
    app.add_handler(CallbackQueryHandler(registration.picked, pattern=registration.PICK_PATTERN))
    app.add_handler(CallbackQueryHandler(approval.decide, pattern=DECIDE_PATTERN))
    app.add_handler(CommandHandler("kecamatan", admin.kecamatan))
    app.add_handler(CommandHandler("pengumuman", announcements.pengumuman))
    app.add_handler(CallbackQueryHandler(announcements.on_button, pattern=announcements.CALLBACK_PATTERN))
    app.add_handler(CommandHandler("status_pengumuman", announcement_status.status_pengumuman))
    app.add_handler(CallbackQueryHandler(acknowledgements.acknowledge, pattern=ACK_PATTERN))
    app.add_handler(CallbackQueryHandler(relay.private_question, pattern=relay.QUESTION_PATTERN))
    app.add_handler(CommandHandler("batal", private_messages.batal))
    app.add_handler(CommandHandler("laporan", form_entry.laporan))
    app.add_handler(CommandHandler("evaluasi", form_entry.evaluasi))
    app.add_handler(CallbackQueryHandler(form_entry.chosen, pattern=form_entry.CHOOSE_PATTERN))
    app.add_handler(CallbackQueryHandler(form_entry.update_evaluation, pattern=form_entry.UPDATE_PATTERN))
    app.add_handler(CommandHandler("laporan_saya", my_reports.laporan_saya))
    app.add_handler(CallbackQueryHandler(my_reports.correct, pattern=my_reports.CORRECT_PATTERN))
    app.add_handler(CallbackQueryHandler(review.on_button, pattern=review.REVIEW_PATTERN))
    app.add_handler(CommandHandler("tinjau", review.tinjau))
    app.add_handler(CallbackQueryHandler(review.set_copies, pattern=review.COPIES_PATTERN))
    app.add_handler(CallbackQueryHandler(program_kerja_review.on_button, pattern=program_kerja_review.PATTERN))
    app.add_handler(CommandHandler("pengingat", reminders.pengingat))
    app.add_handler(CallbackQueryHandler(reminders.send_now, pattern=reminders.SEND_NOW_PATTERN))
    app.add_handler(CommandHandler("libur", reminders.libur))
    app.add_handler(CommandHandler("izin", reminders.izin))
    app.add_handler(CommandHandler("rekap", recap.rekap))
    app.add_handler(CommandHandler("ekspor", export.ekspor))
    app.add_handler(CommandHandler("status_bot", status.status_bot))
    # XLSForm forms (issue 11); an uploaded .xlsx and the answers typed reach them through private_message.
    # In a group, /formulir lists the forms published to its kecamatan; in private it is the admins' list.
    app.add_handler(CommandHandler("formulir", xlsform_group.formulir, filters=filters.ChatType.GROUPS))
    app.add_handler(CommandHandler("formulir", xlsform_admin.formulir))
    app.add_handler(CallbackQueryHandler(xlsform_admin.on_button, pattern=xlsform_admin.CALLBACK_PATTERN))
    app.add_handler(CallbackQueryHandler(xlsform_fill.on_button, pattern=xlsform_fill.CALLBACK_PATTERN))
    app.add_handler(CallbackQueryHandler(xlsform_correction.on_button, pattern=xlsform_correction.PATTERN))
    app.add_handler(CallbackQueryHandler(xlsform_review.on_button, pattern=xlsform_review.PATTERN))
    app.add_handler(CommandHandler("dasbor", dashboard.dasbor))
    # Program kerja through the Excel template (issue 17): the template's button and the preview's buttons; a
    # filled template sent in private reaches program_kerja_excel.upload through private_message, before the
    # XLSForm upload.
    app.add_handler(CallbackQueryHandler(program_kerja_excel.on_button, pattern=program_kerja_excel.CALLBACK_PATTERN))
    # Program kerja (issue 17): /programkerja everywhere (handlers/program_kerja.py says who sees what), its menu's
    # buttons, and one program composed in a conversation whose typed answers reach it through private_message.
    app.add_handler(CommandHandler("programkerja", program_kerja.programkerja))
    app.add_handler(CallbackQueryHandler(program_kerja.on_button, pattern=program_kerja.CALLBACK_PATTERN))
    app.add_handler(CallbackQueryHandler(program_kerja_fill.on_button, pattern=program_kerja_fill.CALLBACK_PATTERN))

    groups = filters.ChatType.GROUPS
    app.add_handler(MessageHandler(groups & filters.REPLY & ~filters.COMMAND, private_messages.group_reply))
    app.add_handler(
        MessageHandler(private & ~filters.COMMAND & ~filters.StatusUpdate.ALL, private_messages.private_message)
    )
    app.add_handler(MessageHandler(private & ~filters.StatusUpdate.ALL, fallback.unknown_private))
    app.add_handler(CallbackQueryHandler(fallback.stale_button))
    app.add_error_handler(on_error)


async def _post_init(application: Application) -> None:  # type: ignore[type-arg]
    data: BotData = application.bot_data
    assert data.config is not None
    db = Database(data.config.database_path)
    await db.open()
    data.db = db
    await up_to_date(db, data.clock.now(), data.config.region, data.config.wilayah_perubahan)
    await builtin_forms.carry_over(db, data.clock.now().astimezone(data.config.timezone))
    await inbox.prune(db, data.clock.now() - INBOX_RETENTION)
    assert isinstance(application.update_queue, DurableQueue)
    application.update_queue.attach(db, data.clock)
    await replay_unfinished(application, db)
    data.sender = _outbox_sender(application, db, data)
    data.sender.start()
    status.mark_started(application, data.clock.now())
    assert application.job_queue is not None
    application.job_queue.run_repeating(
        acknowledgements.queue_due_nudges, interval=NUDGE_CHECK_EVERY, first=NUDGE_CHECK_EVERY, name=NUDGE_JOB
    )
    # The first tick comes right after start: a reminder due while the bot was down goes out now (within grace).
    application.job_queue.run_repeating(
        reminders.tick, interval=reminders.TICK_EVERY, first=1, name=reminders.TICK_JOB,
        job_kwargs=reminders.TICK_JOB_KWARGS,
    )  # fmt: skip
    # One job under one name, scheduled afresh at every start: a restart never adds a second daily backup.
    application.job_queue.run_daily(
        backup.daily_backup, time=backup.DAILY_AT.replace(tzinfo=data.config.timezone), name=backup.BACKUP_JOB,
        job_kwargs=backup.BACKUP_JOB_KWARGS,
    )  # fmt: skip
    # The daily review summary for admins who chose it; one name, so a restart never schedules it twice.
    application.job_queue.run_daily(
        review.daily_summary, time=review.DAILY_AT.replace(tzinfo=data.config.timezone), name=review.DAILY_JOB
    )
    # A 16.00 summary missed while the bot was down goes out now, once (the newest only, within the grace).
    await review.catch_up_daily(BotContext(application))
    # XLSForm (issue 11): the published forms are read now, not by the first person who opens one after a restart.
    await xlsform_fill.warm(db)
    await _start_dashboard(application, data)
    # Last, and in the background: a Telegram that refuses menus for a while (5xx, timeout, 429) must not stop
    # the start; the task retries until they are set, and is cancelled at stop if it is still trying.
    data.menus = asyncio.create_task(keep_publishing(application.bot, data.config.admin_ids), name="menus")


async def _start_dashboard(application: BotApplication, data: BotData) -> None:
    """The dashboard runs in this process, on this loop and this database, when DASHBOARD_URL is set."""
    assert data.config is not None
    if data.config.dashboard_url is None:
        return
    # Imported only here: a bot without a dashboard never loads Starlette, Jinja2 and uvicorn.
    from web.server import DashboardServer

    data.dashboard = DashboardServer(application, data.config.dashboard_listen, data.config.dashboard_port)
    await data.dashboard.start()


def _outbox_sender(application: BotApplication, db: Database, data: BotData) -> OutboxSender:
    def context() -> BotContext:
        return BotContext(application)

    async def migrated(old_chat_id: int, new_chat_id: int) -> None:
        await follow_migration(context(), old_chat_id, new_chat_id)

    async def gone(chat_id: int) -> None:
        await membership.bot_gone(context(), chat_id)

    payload = PayloadKind()
    kinds = {
        "announcement": AnnouncementKind(application),
        "nudge": NudgeKind(application),
        form_submission.NOTE_KIND: payload,
        form_submission.ADMIN_COPY_KIND: payload,
        form_submission.ADMIN_ALBUM_KIND: payload,
        REMINDER_KIND: payload,
        review_decision.NOTE_KIND: payload,
        review_decision.SUBMITTER_KIND: payload,
        review.DAILY_KIND: payload,
        DIGEST_KIND: payload,
        admin_notices.REQUEST_KIND: admin_notices.RequestKind(application),
        admin_notices.NOTICE_KIND: payload,
        approval.NOTE_KIND: payload,
        ALERT_KIND: payload,
        # Relays between groups (or people) and Dinsos: a header, then the copy it owes (handlers/relay_delivery.py).
        relay_delivery.TO_ADMIN_KIND: relay_delivery.ToAdminKind(application, header=True),
        relay_delivery.TO_ADMIN_COPY_KIND: relay_delivery.ToAdminKind(application, header=False),
        relay_delivery.ANSWER_KIND: relay_delivery.AnswerKind(application, header=True),
        relay_delivery.ANSWER_COPY_KIND: relay_delivery.AnswerKind(application, header=False),
        relay_delivery.ANSWER_FAILED_KIND: payload,
        xlsform_admin.NOTICE_KIND: payload,
        xlsform_fill.ADMIN_COPY_KIND: payload,
        xlsform_fill.ADMIN_ALBUM_KIND: payload,
        xlsform_reminders.REMINDER_KIND: payload,
        xlsform_reminders.DIGEST_KIND: payload,
        plan_review.ADMIN_COPY_KIND: payload,
        plan_review.NOTE_KIND: payload,
        plan_review.SUBMITTER_KIND: payload,
        program_kerja_schedule.REMINDER_KIND: payload,
        program_kerja_schedule.NUDGE_KIND: payload,
        xform_review.SUBMITTER_KIND: payload,
        xform_review.NOTE_KIND: payload,
    }
    return OutboxSender(application.bot, db, data.clock, kinds, on_migrated=migrated, on_chat_gone=gone)


async def _post_stop(application: Application) -> None:  # type: ignore[type-arg]
    """Before the HTTP client closes: let in-flight sends finish and record their result."""
    await _stop_background(application.bot_data)


async def _stop_background(data: BotData) -> None:
    """The menu retries and the outbox sender; a start that failed after post_init began left them running."""
    if data.menus is not None:
        data.menus.cancel()
        await asyncio.gather(data.menus, return_exceptions=True)
        data.menus = None
    # The dashboard first: a review decided there queues messages that the sender must still see.
    if data.dashboard is not None:
        await data.dashboard.stop()
        data.dashboard = None
    if data.sender is not None:
        await data.sender.stop()
        data.sender = None


async def _post_shutdown(application: Application) -> None:  # type: ignore[type-arg]
    data: BotData = application.bot_data
    # post_stop runs only after a successful start; a start that failed must not leave tasks behind either.
    await _stop_background(data)
    if data.db is not None:
        await data.db.close()
        data.db = None


def polling_kwargs() -> dict[str, object]:
    return {
        "allowed_updates": ALLOWED_UPDATES,
        "timeout": timedelta(seconds=30),
        "bootstrap_retries": INITIALIZE_RETRIES,
    }
