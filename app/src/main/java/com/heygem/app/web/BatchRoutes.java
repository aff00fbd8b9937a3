package com.heygem.app.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.heygem.app.jobs.BatchState;
import com.heygem.app.jobs.ItemState;
import com.heygem.app.jobs.Priority;
import com.heygem.app.jobs.RenderSettings;
import com.heygem.app.store.BatchFilter;
import com.heygem.app.store.BatchStore;
import com.heygem.app.store.Hashes;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.sync.SyncJudge;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches and their items: create (with an {@code Idempotency-Key}), read, cancel and retry a
 * whole batch or one item. Cancelling a batch cancels what is still queued or running; retrying
 * one re-queues what failed or was cancelled; finished results are never touched.
 */
final class BatchRoutes implements Routes {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRoutes.class);
    private final Services s;
    private final Changes changes;
    private final SpeechChecks speech;

    private final Owners owners;
    private final com.heygem.app.accounts.Accounts accounts;
    private final QuotaChecks quota;

    BatchRoutes(Services services, SpeechChecks speech, Changes changes) {
        this.changes = changes;
        this.s = services;
        this.speech = speech;
        this.owners = new Owners(services.store());
        this.accounts = new com.heygem.app.accounts.Accounts(services.store().dataSource());
        this.quota = new QuotaChecks(services);
    }

    @Override
    public void addTo(Api api) {
        api.post("/api/v1/batches", "batches", "Create a batch: one audio, one or more templates (Idempotency-Key header)",
                this::create);
        api.get("/api/v1/batches", "batches", "List batches: ?q= (name, speech or presenter), ?state=running,failed…,"
                + " ?owner=, ?from=/?to= (dates), ?sort=newest|oldest|name|size, ?limit=, ?offset=; answers the total too",
                this::list);
        api.get("/api/v1/batches/{id}", "batches", "A batch with its items", ctx -> {
            BatchStore.Batch b = batch(ctx);
            ctx.json(batchJson(b, ctx));
        });
        api.delete("/api/v1/batches/{id}", "batches", "Delete a batch and its results (running items are cancelled)",
                this::delete);
        api.post("/api/v1/batches/{id}/cancel", "batches", "Cancel the batch's queued and running items",
                ctx -> changeBatch(ctx, true));
        api.post("/api/v1/batches/{id}/retry", "batches", "Retry the batch's failed and cancelled items",
                ctx -> changeBatch(ctx, false));
        api.patch("/api/v1/batches/{id}", "batches", "Change a batch's priority ({\"priority\": \"high|normal|low\"});"
                + " its items not yet started take their new place at once", this::reprioritise);
        api.post("/api/v1/batches/{id}/move", "batches", "Move a batch with queued items one place up or down the queue"
                + " among batches of its priority ({\"direction\": \"up|down\"})", this::move);
        api.get("/api/v1/batches/{id}/items", "items", "The batch's items, in order", ctx -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (BatchStore.Item i : s.store().items(batch(ctx).id())) {
                out.add(itemJson(i));
            }
            ctx.json(Map.of("items", out));
        });
        api.get("/api/v1/items/{id}", "items", "One item", ctx -> ctx.json(itemJson(item(ctx))));
        api.post("/api/v1/batches/{id}/shares", "batches", "Share a batch with exactly these accounts {\"users\": [names]}"
                + " (its owner or an admin): they see and download it", this::share);
        api.post("/api/v1/items/{id}/cancel", "items", "Cancel a queued or running item", ctx -> {
            BatchStore.Item item = owners.itemToChange(ctx, ctx.pathParam("id"));
            try {
                s.queue().cancel(item.id());
            } catch (HeyGemException e) {
                throw cannot(e, item, "cancelled", "取消");
            }
            ctx.json(itemJson(s.store().item(item.id()).orElseThrow()));
        });
        api.post("/api/v1/items/{id}/retry", "items", "Retry a failed or cancelled item", ctx -> {
            BatchStore.Item item = owners.itemToChange(ctx, ctx.pathParam("id"));
            if (item.state().canMoveTo(ItemState.QUEUED)) {
                quota.work(ctx, 1, 0);
            }
            try {
                s.queue().retry(item.id(), quota.admission(ctx, 1, 0));
            } catch (HeyGemException e) {
                throw cannot(e, item, "retried", "重试");
            }
            ctx.json(itemJson(s.store().item(item.id()).orElseThrow()));
        });
    }

    private void list(Context ctx) {
        int limit = Paging.number(ctx, "limit", 50, 1, 500);
        int offset = Paging.number(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        String ownerName = ctx.queryParam("owner");
        String ownerId = null;
        if (ownerName != null && !ownerName.isBlank()) {
            // An unknown name lists nothing rather than everything.
            ownerId = accounts.byName(ownerName.trim()).map(com.heygem.app.accounts.Account::id).orElse("-");
        }
        String search = ctx.queryParam("q");
        if (search != null && search.length() > 200) {
            throw new ApiError(400, "BAD_REQUEST", "The search 'q' is " + search.length() + " characters long",
                    "Search with at most 200 characters.").zh("搜索词过长（" + search.length() + " 个字符）", "请用不超过 200 个字符搜索。");
        }
        BatchStore.BatchPage page = s.store().batches(new BatchFilter(Owners.viewer(ctx), search,
                HistoryQuery.states(ctx.queryParam("state")), ownerId, HistoryQuery.instant(ctx, "from", false),
                HistoryQuery.instant(ctx, "to", true), HistoryQuery.sort(ctx.queryParam("sort")), limit, offset));
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, String> owners = new java.util.HashMap<>();
        for (BatchStore.BatchSummary b : page.batches()) {
            BatchState.Counts counts = counts(b.counts());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", b.id());
            m.put("createdAt", b.createdAt().toString());
            m.put("name", b.name());
            m.put("priority", b.priority().label());
            m.put("owner", owners.computeIfAbsent(b.ownerId(), u -> accounts.byId(u).map(
                    com.heygem.app.accounts.Account::name).orElse(null)));
            m.put("audioId", b.audioId());
            m.put("audioName", b.audioName());
            m.put("state", counts.state().name());
            m.put("progress", Math.round(10 * counts.progress(b.runningPercent())) / 10.0);
            m.put("counts", countsJson(counts));
            // What History shows of it: the first presenters' pictures and names.
            List<Map<String, Object>> shown = new ArrayList<>();
            for (BatchStore.Item i : s.store().items(b.id())) {
                if (shown.size() == HISTORY_THUMBNAILS) {
                    break;
                }
                shown.add(Map.of("name", i.templateName(), "thumbnail", "/api/v1/items/" + i.id() + "/thumbnail"));
            }
            m.put("templates", shown);
            out.add(m);
        }
        ctx.json(Map.of("batches", out, "total", page.total(), "limit", limit, "offset", offset));
    }

    private void delete(Context ctx) throws IOException {
        BatchStore.Batch batch = owners.batchToChange(ctx, ctx.pathParam("id"));
        for (BatchStore.Item i : s.store().items(batch.id())) {
            if (!i.state().isFinished()) {
                try {
                    s.queue().cancel(i.id());
                } catch (HeyGemException e) {
                    LOG.debug("item {} finished meanwhile", i.id());
                }
            }
        }
        java.util.Set<String> saw = new java.util.HashSet<>(s.store().sharedWith(batch.id()));
        saw.add(batch.ownerId());
        s.store().deleteBatch(batch.id());
        changes.announce("batch", batch.id(), "deleted", saw);
        Path dir = s.dataDir().resolve("outputs").resolve(batch.id());
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(f);
                }
            }
        }
        LOG.info("batch {} deleted with its results", batch.id());
        ctx.json(Map.of("id", batch.id(), "deleted", true));
    }

    private static BatchState.Counts counts(Map<ItemState, Integer> m) {
        return new BatchState.Counts(m.getOrDefault(ItemState.QUEUED, 0), m.getOrDefault(ItemState.RUNNING, 0),
                m.getOrDefault(ItemState.SUCCEEDED, 0), m.getOrDefault(ItemState.FAILED, 0),
                m.getOrDefault(ItemState.CANCELED, 0));
    }

    private static Map<String, Object> countsJson(BatchState.Counts counts) {
        return Map.of("total", counts.total(), "queued", counts.queued(), "running", counts.running(),
                "succeeded", counts.succeeded(), "failed", counts.failed(), "canceled", counts.canceled());
    }

    private void create(Context ctx) {
        JsonNode body = JsonBody.object(ctx);
        if (body == null) {
            throw new ApiError(400, "BAD_JSON", "The request body is not a JSON object",
                    "Send {\"audioId\": …, \"templateIds\": [ … ]}.");
        }
        String audioId = body.path("audioId").asText(null);
        JsonNode templates = body.path("templateIds");
        if (audioId == null || !templates.isArray() || templates.isEmpty()) {
            throw new ApiError(400, "BAD_REQUEST", "A batch needs 'audioId' and a non-empty 'templateIds'",
                    "Upload the files first (POST /api/v1/assets) and use the ids it answers.");
        }
        if (templates.size() > s.maxTemplates()) {
            throw new ApiError(400, "TOO_MANY_TEMPLATES", "A batch takes at most " + s.maxTemplates() + " templates; this"
                    + " one has " + templates.size(), "Split the templates into several batches, or raise the limit"
                    + " (setting batch.maxTemplates).").zh("一个批次最多 " + s.maxTemplates() + " 个模板，本次有 "
                    + templates.size() + " 个", "请分成多个批次，或调高上限（配置项 batch.maxTemplates）。");
        }
        BatchStore.Asset audio = owners.asset(ctx, audioId);
        if ("VIDEO".equals(audio.kind())) {
            // A video's sound is the speech: one without sound would fail every item, so none is made.
            try {
                if (!com.heygem.engine.media.MediaProbe.probe(s.dataDir().resolve(audio.storedPath()),
                        com.heygem.engine.media.MediaLimits.DEFAULT).hasAudio()) {
                    throw new HeyGemException(com.heygem.engine.error.ErrorCode.NO_AUDIO_STREAM, audio.fileName());
                }
            } catch (HeyGemException e) {
                throw com.heygem.app.store.FileNames.asTheirs(e, s.dataDir().resolve(audio.storedPath()), audio.fileName());
            }
        }
        List<String> templateIds = new ArrayList<>();
        for (JsonNode t : templates) {
            BatchStore.Asset a = owners.asset(ctx, t.asText());
            if (!"VIDEO".equals(a.kind())) {
                throw new ApiError(400, "NOT_A_VIDEO", a.fileName() + " has no picture and cannot be a template",
                        "Templates are videos of the presenter.").zh(a.fileName() + " 没有画面，不能作为模板",
                        "模板必须是人物的视频。");
            }
            templateIds.add(a.id());
        }
        String settings = RenderSettings.normalise(body.get("settings"), s.encoder());
        Priority priority = body.hasNonNull("priority") ? priority(body.get("priority")) : Priority.NORMAL;
        highOnlyForAdmins(ctx, priority);
        String key = idempotencyKey(ctx);
        String given = key;
        String owner = Audit.caller(ctx).userId() == null ? BatchStore.ADMIN : Audit.caller(ctx).userId();
        if (key != null && !owner.equals(BatchStore.ADMIN)) {
            // One person's key never answers another's batch (admin's stay as they were before accounts).
            key = owner + ":" + (key.length() > MAX_KEY - 40 ? Hashes.sha256(key) : key);
        }
        String request = Hashes.sha256(audio.id() + "\n" + String.join(",", templateIds) + "\n" + settings
                + (priority == Priority.NORMAL ? "" : "\n" + priority));
        // A label shown to others: no markup, control characters or direction marks.
        String name = SafeName.text(body.hasNonNull("name") ? body.get("name").asText() : null, MAX_NAME);
        String webhook = Webhooks.validUrl(body.hasNonNull("webhookUrl") ? body.get("webhookUrl").asText() : null,
                s.importLimits().policy());
        request = Hashes.sha256(request + "\n" + name + "\n" + webhook);
        double seconds = audio.durationSeconds() == null ? 0 : audio.durationSeconds();
        if (key == null || s.store().batchByKey(key).isEmpty()) { // a repeated request adds nothing
            quota.work(ctx, templateIds.size(), seconds);
        }
        BatchStore.NewBatch made = s.store().createBatch(audio.id(), templateIds, settings, key, request, priority, owner,
                quota.admission(ctx, templateIds.size(), seconds));
        if (!made.replayed() && (name != null || webhook != null)) {
            s.store().label(made.id(), name, webhook);
        }
        if (made.replayed() && !made.sameRequest()) {
            throw new ApiError(422, "IDEMPOTENCY_KEY_REUSED", "The Idempotency-Key '" + SafeName.of(given)
                    + "' was already used for a different batch (" + made.id() + ")",
                    "Use a new key for a new batch; repeat a request only with exactly the same body.")
                    .zh("幂等键 '" + SafeName.of(given) + "' 已用于另一个批次（" + made.id() + "）",
                            "新批次请使用新的键；重复请求时请求体必须完全相同。");
        }
        if (made.replayed()) {
            ctx.header("Idempotent-Replayed", "true"); // the batch made by the first request with this key
        } else {
            s.queue().submit(made.id());
            changes.announce("batch", made.id(), "created", java.util.Set.of(owner));
        }
        Audit.target(ctx, made.id());
        Audit.detail(ctx, templateIds.size() + " template(s), " + priority.label() + " priority"
                + (made.replayed() ? ", a repeated request (nothing new made)" : ""));
        Map<String, Object> answer = batchJson(s.store().batch(made.id()).orElseThrow(), ctx);
        // Rendered anyway (the user may want a silent presenter), but said: a warning, not an error.
        Map<String, Object> heard = speech.of(audio, owner);
        Object warning = heard == null ? null : heard.get("warning");
        answer.put("warnings", warning == null ? List.of() : List.of(warning));
        ctx.status(201).json(answer);
    }

    /** How the page names an item's state, in English and Chinese. */
    /** An item's state in words, English and Chinese, for messages. */
    static final Map<ItemState, String[]> STATE_WORDS = Map.of(ItemState.QUEUED, new String[] {"is queued",
            "正在排队"}, ItemState.RUNNING, new String[] {"is being made", "正在生成"}, ItemState.SUCCEEDED,
            new String[] {"is already finished", "已经完成"}, ItemState.FAILED, new String[] {"has failed", "已失败"},
            ItemState.CANCELED, new String[] {"was cancelled", "已取消"});

    /** A refused cancel or retry, said with the template's name and the state in words (409). */
    private ApiError cannot(HeyGemException e, BatchStore.Item asked, String verbEn, String verbZh) {
        if (e.code() != com.heygem.engine.error.ErrorCode.INVALID_STATE) {
            return new ApiError(400, e.code().name(), e.messageEn(), e.code().hintEn()).zh(e.messageZh(), e.code().hintZh());
        }
        BatchStore.Item now = s.store().item(asked.id()).orElse(asked);
        String[] words = STATE_WORDS.get(now.state());
        return new ApiError(409, "INVALID_STATE", "The video of " + now.templateName() + " " + words[0]
                + "; it cannot be " + verbEn, "Reload the page to see where it is now.")
                .zh(now.templateName() + " 的视频" + words[1] + "，不能" + verbZh, "请刷新页面查看最新状态。");
    }

    /** Presenters pictured per batch in the list. */
    static final int HISTORY_THUMBNAILS = 4;

    /** Longest batch name kept. */
    static final int MAX_NAME = 200;

    /** Longest accepted Idempotency-Key (the database column's size). */
    static final int MAX_KEY = 200;

    /** The request's Idempotency-Key, or null without one; an empty or over-long key is refused. */
    private static String idempotencyKey(Context ctx) {
        String key = ctx.header("Idempotency-Key");
        if (key == null) {
            return null;
        }
        key = key.trim();
        if (key.isEmpty() || key.length() > MAX_KEY || !key.chars().allMatch(ch -> ch >= 0x21 && ch < 0x7f)) {
            throw new ApiError(400, "BAD_IDEMPOTENCY_KEY", "The Idempotency-Key must be 1 to " + MAX_KEY
                    + " visible ASCII characters (got " + key.length() + " characters)",
                    "Send a unique value per batch, such as a UUID, or leave the header out.")
                    .zh("Idempotency-Key 必须是 1 到 " + MAX_KEY + " 个可见 ASCII 字符（收到 " + key.length() + " 个）",
                            "每个批次请发送唯一的值（如 UUID），或不发送该请求头。");
        }
        return key;
    }

    /** Cancels every queued or running item, or retries every failed or cancelled one. */
    private void changeBatch(Context ctx, boolean cancel) {
        BatchStore.Batch batch = owners.batchToChange(ctx, ctx.pathParam("id"));
        if (!cancel) {
            quota.work(ctx, (int) s.store().items(batch.id()).stream().filter(i -> i.state().canMoveTo(ItemState.QUEUED)
                    && i.state() != ItemState.RUNNING).count(), 0);
        }
        for (BatchStore.Item i : s.store().items(batch.id())) {
            boolean applies = cancel ? !i.state().isFinished() : i.state().canMoveTo(ItemState.QUEUED)
                    && i.state() != ItemState.RUNNING;
            if (!applies) {
                continue;
            }
            try {
                if (cancel) {
                    s.queue().cancel(i.id());
                } else {
                    s.queue().retry(i.id(), quota.admission(ctx, 1, 0));
                }
            } catch (HeyGemException e) {
                // It finished between the read and the change: nothing left to do for it.
                LOG.debug("item {} changed meanwhile: {}", i.id(), e.getMessage());
            }
        }
        ctx.json(batchJson(batch, ctx));
    }

    private BatchStore.Batch batch(Context ctx) {
        return owners.batch(ctx, ctx.pathParam("id"));
    }

    private BatchStore.Item item(Context ctx) {
        return owners.item(ctx, ctx.pathParam("id"));
    }

    /** High priority passes everyone's work: admins only. */
    private static void highOnlyForAdmins(Context ctx, Priority priority) {
        if (priority == Priority.HIGH && Audit.caller(ctx).role() != com.heygem.app.accounts.Role.ADMIN) {
            throw new ApiError(403, "FORBIDDEN", "Only an admin may give a batch high priority",
                    "Use normal or low, or ask an admin to raise it.").zh("只有管理员可以设置高优先级",
                    "请使用普通或低优先级，或请管理员调高。");
        }
    }

    private void share(Context ctx) {
        BatchStore.Batch batch = owners.batchToChange(ctx, ctx.pathParam("id"));
        JsonNode body = JsonBody.object(ctx);
        JsonNode names = body == null ? null : body.get("users");
        if (names == null || !names.isArray()) {
            throw new ApiError(400, "BAD_REQUEST", "Name the accounts to share with: {\"users\": [\"anna\", …]}",
                    "An empty list shares it with no one.").zh("请给出要共享的账号：{\"users\": [\"anna\", …]}",
                    "空列表表示不与任何人共享。");
        }
        List<String> ids = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (JsonNode n : names) {
            com.heygem.app.accounts.Account a = accounts.byName(n.asText()).orElseThrow(() -> new ApiError(400,
                    "UNKNOWN_ACCOUNT", "There is no account named '" + SafeName.of(n.asText()) + "'",
                    "Check the name (Accounts lists them).").zh("没有名为 '" + SafeName.of(n.asText()) + "' 的账号",
                    "请检查账号名。"));
            if (!a.id().equals(batch.ownerId())) {
                ids.add(a.id());
                shown.add(a.name());
            }
        }
        java.util.Set<String> saw = new java.util.HashSet<>(s.store().sharedWith(batch.id()));
        saw.add(batch.ownerId());
        saw.addAll(ids);
        s.store().share(batch.id(), ids);
        changes.announce("batch", batch.id(), "shared", saw);
        Audit.detail(ctx, shown.isEmpty() ? "with no one" : "with " + String.join(", ", shown));
        ctx.json(batchJson(batch, ctx));
    }

    /** A priority as the API takes it, or a 400 that lists the ones there are. */
    private static Priority priority(JsonNode value) {
        return Priority.parse(value.isTextual() ? value.asText() : null).orElseThrow(() -> new ApiError(400,
                "BAD_PRIORITY", "'" + SafeName.of(value.asText()) + "' is not a priority", "Use \"high\", \"normal\" or"
                + " \"low\".").zh("'" + SafeName.of(value.asText()) + "' 不是有效的优先级", "请使用 \"high\"（高）、"
                + "\"normal\"（普通）或 \"low\"（低）。"));
    }

    private void reprioritise(Context ctx) {
        BatchStore.Batch batch = owners.batchToChange(ctx, ctx.pathParam("id"));
        JsonNode body = JsonBody.object(ctx);
        if (body == null || !body.has("priority")) {
            throw new ApiError(400, "BAD_REQUEST", "Say the new priority: {\"priority\": \"high|normal|low\"}",
                    "Send a JSON object with 'priority'.").zh("请给出新的优先级：{\"priority\": \"high|normal|low\"}",
                    "请发送含 'priority' 的 JSON 对象。");
        }
        Priority priority = priority(body.get("priority"));
        highOnlyForAdmins(ctx, priority);
        Audit.detail(ctx, batch.priority().label() + " → " + priority.label());
        if (priority != batch.priority()) {
            s.queue().setPriority(batch.id(), priority);
            LOG.info("batch {} now has {} priority", batch.id(), priority.label());
        }
        ctx.json(batchJson(s.store().batch(batch.id()).orElseThrow(), ctx));
    }

    private void move(Context ctx) {
        AccountRoutes.admin(ctx); // it passes other people's batches
        BatchStore.Batch batch = batch(ctx);
        JsonNode body = JsonBody.object(ctx);
        String direction = body == null ? "" : body.path("direction").asText("");
        if (!direction.equals("up") && !direction.equals("down")) {
            throw new ApiError(400, "BAD_REQUEST", "Say where to move it: {\"direction\": \"up\"} or \"down\"",
                    "Send a JSON object with 'direction'.").zh("请给出移动方向：{\"direction\": \"up\"} 或 \"down\"",
                    "请发送含 'direction' 的 JSON 对象。");
        }
        if (s.store().items(batch.id()).stream().noneMatch(i -> i.state() == ItemState.QUEUED)) {
            throw new ApiError(409, "INVALID_STATE", "This batch has nothing waiting in the queue to move",
                    "Only a batch with queued items has a place in the queue.")
                    .zh("该批次没有排队中的任务，无法移动", "只有含排队任务的批次才能调整顺序。");
        }
        boolean moved = s.queue().move(batch.id(), direction.equals("up"));
        Audit.detail(ctx, direction + (moved ? "" : " (already at that end)"));
        Map<String, Object> answer = batchJson(s.store().batch(batch.id()).orElseThrow(), ctx);
        answer.put("moved", moved);
        ctx.json(answer);
    }

    /**
     * A batch as {@code ctx}'s caller sees it: its webhook address (which may carry a secret in
     * its query) only when the batch is theirs.
     */
    private Map<String, Object> batchJson(BatchStore.Batch batch, Context ctx) {
        Map<String, Object> m = batchJson(batch);
        if (!java.util.Objects.equals(Audit.caller(ctx).userId(), batch.ownerId())) {
            m.put("webhookUrl", null);
        }
        return m;
    }

    Map<String, Object> batchJson(BatchStore.Batch batch) {
        String id = batch.id();
        List<BatchStore.Item> items = s.store().items(id);
        List<Map<String, Object>> list = new ArrayList<>();
        List<ItemState> states = new ArrayList<>();
        double running = 0;
        BatchStore.Asset audio = s.store().asset(batch.audioId()).orElse(null);
        List<Double> runningLeft = new ArrayList<>();
        double queuedSeconds = 0;
        // One look per template, however many of the batch's items use it.
        Map<String, Double> expectedOf = new java.util.HashMap<>();
        for (BatchStore.Item i : items) {
            states.add(i.state());
            Map<String, Object> json = itemJson(i);
            if (i.state() == ItemState.RUNNING) {
                running += i.percent();
                runningLeft.add(i.etaSeconds());
            } else if (i.state() == ItemState.QUEUED && audio != null) {
                // What a render of this size took here: the page adds it to the time left.
                double expected = expectedOf.computeIfAbsent(i.templateId(), template -> s.store().asset(template).map(t -> s.queue()
                        .pace().expectedFrom(null, com.heygem.app.jobs.RenderItemRunner.work(audio, t))).orElse(0.0));
                json.put("expectedSeconds", Math.round(10 * expected) / 10.0);
                queuedSeconds += expected;
            }
            list.add(json);
        }
        BatchState.Counts counts = BatchState.Counts.of(states);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("createdAt", batch.createdAt().toString());
        m.put("name", batch.name());
        m.put("priority", batch.priority().label());
        m.put("owner", accounts.byId(batch.ownerId()).map(com.heygem.app.accounts.Account::name).orElse(null));
        List<String> shared = new ArrayList<>();
        for (String u : s.store().sharedWith(id)) {
            accounts.byId(u).ifPresent(a -> shared.add(a.name()));
        }
        m.put("sharedWith", shared);
        m.put("webhookUrl", batch.webhookUrl());
        m.put("audioId", batch.audioId());
        m.put("audioName", batch.audioName());
        m.put("state", counts.state().name());
        m.put("progress", Math.round(10 * counts.progress(running)) / 10.0);
        m.put("counts", countsJson(counts));
        int slots = renderSlots();
        m.put("renderSlots", slots);
        m.put("etaSeconds", com.heygem.app.jobs.BatchEta.seconds(runningLeft, counts.queued(), queuedSeconds, slots));
        m.put("zip", counts.succeeded() > 0 ? "/api/v1/batches/" + id + "/zip" : null);
        m.put("items", list);
        return m;
    }

    /** Renders that can run at once in the whole installation: the live workers' threads. */
    private int renderSlots() {
        int slots = 0;
        for (com.heygem.app.jobs.WorkerRegistry.Worker w : com.heygem.app.jobs.WorkerRegistry.list(s.store().dataSource(),
                s.heartbeat())) {
            slots += w.alive() ? w.threads() : 0;
        }
        return slots;
    }

    static Map<String, Object> itemJson(BatchStore.Item i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("batchId", i.batchId());
        m.put("templateId", i.templateId());
        m.put("templateName", i.templateName());
        m.put("state", i.state().name());
        m.put("stage", i.stage());
        m.put("progress", i.state() == ItemState.SUCCEEDED ? 100.0 : Math.round(10 * i.percent()) / 10.0);
        m.put("framesDone", i.framesDone());
        m.put("framesTotal", i.framesTotal());
        m.put("etaSeconds", i.state() == ItemState.RUNNING ? i.etaSeconds() : null);
        m.put("attempts", i.attempts());
        m.put("revision", i.revision());
        if (i.errorCode() == null) {
            m.put("error", null);
        } else {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", i.errorCode());
            error.put("message", String.valueOf(i.errorMessage()));
            error.put("messageZh", i.errorMessageZh() == null ? String.valueOf(i.errorMessage()) : i.errorMessageZh());
            m.put("error", error);
        }
        boolean done = i.state() == ItemState.SUCCEEDED && i.resultPath() != null;
        m.put("result", done ? "/api/v1/items/" + i.id() + "/result" : null);
        if (done && i.syncConfidence() != null) {
            // The sync judge's reading of the mouths placed, beside what it reads on natural footage.
            SyncJudge judge = SyncJudge.shipped();
            Map<String, Object> sync = new LinkedHashMap<>();
            sync.put("offsetFrames", i.syncOffset());
            sync.put("confidence", Math.round(100 * i.syncConfidence()) / 100.0);
            sync.put("naturalOffsetFrames", judge.naturalOffset());
            sync.put("naturalConfidence", Math.round(100 * judge.naturalConfidence()) / 100.0);
            sync.put("readable", i.syncConfidence() >= SyncJudge.CANNOT_TELL);
            m.put("sync", sync);
        } else {
            m.put("sync", null);
        }
        m.put("thumbnail", "/api/v1/items/" + i.id() + "/thumbnail");
        m.put("log", "/api/v1/items/" + i.id() + "/log");
        return m;
    }
}
