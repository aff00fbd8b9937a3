package com.heygem.app.web;

import com.heygem.app.accounts.Accounts;
import com.heygem.app.accounts.Quotas;
import com.heygem.app.store.BatchStore;
import io.javalin.http.Context;
import java.util.Locale;

/**
 * Refuses what would take an editor over its quota, saying what is used, what is allowed and
 * what the request would add: 507 for storage (like a full disk), 429 for minutes and queued
 * videos (like too many requests: it passes with time).
 */
final class QuotaChecks {
    private final Quotas quotas;
    private final Accounts accounts;

    QuotaChecks(Services s) {
        this.quotas = new Quotas(s.store().dataSource(), s.dataDir(), s.quotas());
        this.accounts = new Accounts(s.store().dataSource());
    }

    Quotas quotas() {
        return quotas;
    }

    private Quotas.Limits limits(Context ctx) {
        String me = Audit.caller(ctx).userId();
        return me == null ? Quotas.Limits.NONE : accounts.byId(me).map(quotas::of).orElse(Quotas.Limits.NONE);
    }

    /** Before storing {@code bytes} more for the caller. */
    void storage(Context ctx, long bytes) {
        Quotas.Limits l = limits(ctx);
        if (l.storageBytes() <= 0) {
            return;
        }
        long used = quotas.usage(Audit.caller(ctx).userId()).storageBytes();
        if (used + bytes > l.storageBytes()) {
            String u = ApiServer.size(used);
            String a = ApiServer.size(l.storageBytes());
            String more = ApiServer.size(bytes);
            throw new ApiError(507, "QUOTA_STORAGE", "Your uploads and results take " + u + " of your " + a + "; this needs "
                    + more + " more", "Delete old batches or uploads, or ask an admin for a larger quota.")
                    .zh("您的上传和生成结果已占用 " + u + "（配额 " + a + "），本次还需要 " + more,
                            "请删除旧的批次或文件，或请管理员调高配额。");
        }
    }

    /** Before queueing {@code videos} renders of {@code seconds} of speech each. */
    void work(Context ctx, int videos, double seconds) {
        Quotas.Limits l = limits(ctx);
        if (l.queuedItems() <= 0 && l.minutesPerDay() <= 0) {
            return;
        }
        refuseOver(l, quotas.usage(Audit.caller(ctx).userId()), videos, seconds);
    }

    /**
     * {@link #work} again inside the new batch's transaction, with the account's row locked: atomic
     * with the insert, so batches sent at once cannot pass the limit together.
     */
    BatchStore.Admission admission(Context ctx, int videos, double seconds) {
        Quotas.Limits l = limits(ctx);
        if (l.queuedItems() <= 0 && l.minutesPerDay() <= 0) {
            return BatchStore.Admission.ANYONE;
        }
        String me = Audit.caller(ctx).userId();
        return c -> refuseOver(l, quotas.lockedWork(c, me), videos, seconds);
    }

    private static void refuseOver(Quotas.Limits l, Quotas.Usage used, int videos, double seconds) {
        if (l.queuedItems() > 0 && videos > l.queuedItems()) {
            // Waiting can never help: the batch itself is larger than what may wait at once.
            int parts = (videos + l.queuedItems() - 1) / l.queuedItems();
            throw new ApiError(429, "QUOTA_QUEUED", "This batch has " + videos + " videos, and you may have " + l.queuedItems()
                    + " queued at once", "Split it into " + parts + " batches of at most " + l.queuedItems() + " videos, or ask an"
                    + " admin for a larger quota.").zh("这个批次有 " + videos + " 个视频，而您最多可同时排队 " + l.queuedItems() + " 个",
                    "请拆分为 " + parts + " 个批次（每个最多 " + l.queuedItems() + " 个视频），或请管理员调高配额。");
        }
        if (l.queuedItems() > 0 && used.queuedItems() + videos > l.queuedItems()) {
            throw new ApiError(429, "QUOTA_QUEUED", "You have " + used.queuedItems() + " video(s) queued or rendering"
                    + " and may have " + l.queuedItems() + " at once; this adds " + videos, "Wait until some have"
                    + " finished, or ask an admin for a larger quota.").zh("您已有 " + used.queuedItems() + " 个视频在排队或生成，"
                    + "最多可同时有 " + l.queuedItems() + " 个；本次将增加 " + videos + " 个", "请等部分完成后再提交，或请管理员调高配额。");
        }
        double adds = videos * seconds / 60;
        if (l.minutesPerDay() > 0 && used.minutesToday() + adds > l.minutesPerDay() + 1e-9) {
            String u = minutes(used.minutesToday());
            String n = minutes(adds);
            throw new ApiError(429, "QUOTA_MINUTES", "This needs " + n + " min of video, and " + u + " of your "
                    + l.minutesPerDay() + " min for the last 24 hours are used", "Make a shorter batch, wait until"
                    + " earlier batches are a day old, or ask an admin for a larger quota.").zh("本次需要 " + n
                    + " 分钟视频，而最近 24 小时已用 " + u + " 分钟（配额 " + l.minutesPerDay() + " 分钟）",
                    "请缩小批次、等较早的批次满一天，或请管理员调高配额。");
        }
    }

    private static String minutes(double m) {
        return String.format(Locale.ROOT, "%.1f", m);
    }
}
