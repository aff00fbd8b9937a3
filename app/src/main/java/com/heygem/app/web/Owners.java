package com.heygem.app.web;

import com.heygem.app.accounts.Role;
import com.heygem.app.store.BatchStore;
import io.javalin.http.Context;

/**
 * Whose batch and whose upload a request may see or change. Admins: everything. Editors: the
 * batches they made and those shared with them (only their own may be changed), every template
 * (the library is shared) and the recordings in their own library. Viewers: the batches shared
 * with them, read only. What a caller may not see answers 404, as if it did not exist: no one
 * learns the ids of other people's work by trying them.
 */
final class Owners {
    private final BatchStore store;

    Owners(BatchStore store) {
        this.store = store;
    }

    /** The caller's account id, or null for an admin (who sees everything). */
    static String viewer(Context ctx) {
        Audit.Caller c = Audit.caller(ctx);
        return c.role() == Role.ADMIN ? null : c.userId();
    }

    boolean sees(Context ctx, BatchStore.Batch b) {
        String me = viewer(ctx);
        return me == null || me.equals(b.ownerId()) || store.sharedWith(b.id()).contains(me);
    }

    boolean changes(Context ctx, BatchStore.Batch b) {
        String me = viewer(ctx);
        return me == null || (me.equals(b.ownerId()) && Audit.caller(ctx).role() == Role.EDITOR);
    }

    /** The batch, if the caller may see it (404 otherwise). */
    BatchStore.Batch batch(Context ctx, String id) {
        return store.batch(id).filter(b -> sees(ctx, b)).orElseThrow(() -> Routes.notFound("batch", id));
    }

    /** The batch, if the caller may change it (404 when it may not even see it, 403 when only see). */
    BatchStore.Batch batchToChange(Context ctx, String id) {
        BatchStore.Batch b = batch(ctx, id);
        if (!changes(ctx, b)) {
            throw AccountRoutes.forbidden();
        }
        return b;
    }

    BatchStore.Item item(Context ctx, String id) {
        BatchStore.Item i = store.item(id).orElseThrow(() -> Routes.notFound("item", id));
        store.batch(i.batchId()).filter(b -> sees(ctx, b)).orElseThrow(() -> Routes.notFound("item", id));
        return i;
    }

    BatchStore.Item itemToChange(Context ctx, String id) {
        BatchStore.Item i = item(ctx, id);
        batchToChange(ctx, i.batchId());
        return i;
    }

    /** Whether the caller's library has this upload (every video does: templates are shared). */
    boolean has(Context ctx, BatchStore.Asset a) {
        String me = viewer(ctx);
        if (me == null) {
            return true;
        }
        if (Audit.caller(ctx).role() == Role.VIEWER) {
            return false;
        }
        return "VIDEO".equals(a.kind()) || store.owns(a.id(), me);
    }

    BatchStore.Asset asset(Context ctx, String id) {
        return store.asset(id).filter(a -> has(ctx, a)).orElseThrow(() -> Routes.notFound("asset", id));
    }

    /** The upload, if the caller may rename or delete it: an admin, or the editor who uploaded it. */
    BatchStore.Asset assetToChange(Context ctx, String id) {
        BatchStore.Asset a = asset(ctx, id);
        String me = viewer(ctx);
        if (me != null && !store.owns(a.id(), me)) {
            throw AccountRoutes.forbidden();
        }
        return a;
    }
}
