package com.heygem.app.web;

import com.heygem.app.jobs.BatchQueue;
import com.heygem.app.store.BatchStore;
import com.heygem.app.store.Retention;
import com.heygem.engine.media.EncoderSettings;
import com.heygem.engine.template.TemplateAnalyzer;
import java.nio.file.Path;

/**
 * What the web routes work with, built once by {@code serve}.
 *
 * @param auth           whether the access token is required (setting server.auth)
 * @param maxUpload      largest accepted upload in bytes (setting upload.maxBytes)
 * @param retentionDays  clean-up age limit (setting retention.days, 0 for none)
 * @param retentionBytes clean-up disk quota (setting retention.maxBytes, 0 for none)
 * @param easyInputDir   the folder {@code /easy/submit} may read from
 * @param encoder        the configured encoder settings a batch's own settings start from
 * @param heartbeat      the nodes' heartbeat interval (setting workers.heartbeatSeconds)
 * @param session        how long a browser session lasts (setting server.sessionDays)
 * @param storage        the data directory's free space against its reserve
 * @param maxTemplates   templates in one batch at most (setting batch.maxTemplates)
 * @param maxNameLength  characters kept of an uploaded file's name (setting upload.maxNameLength)
 * @param webhookUrl     the default webhook (setting notify.webhookUrl), empty for none
 * @param webhookSecret  the webhooks' signing key (setting notify.webhookSecret), empty for the data directory's
 * @param importLimits   what may be pulled from addresses (settings import.*)
 * @param quotas         the default quotas of each editor (settings quota.*)
 */
public record Services(Path dataDir, BatchStore store, BatchQueue queue, AccessToken token, boolean auth,
        long maxUpload, String version, Retention retention, int retentionDays, long retentionBytes,
        TemplateAnalyzer analyzer, Path easyInputDir, EncoderSettings encoder, java.time.Duration heartbeat,
        java.time.Duration session, com.heygem.app.store.StorageGuard storage, int maxTemplates, int maxNameLength,
        String webhookUrl, String webhookSecret, com.heygem.app.imports.Imports.Limits importLimits,
        com.heygem.app.accounts.Quotas.Limits quotas) {
}
