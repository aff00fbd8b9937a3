package com.heygem.app.web;

import com.heygem.app.store.FileNames;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.MediaInfo;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.MediaProbe;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/v1/assets}: an upload streamed to disk while it is hashed, probed (by content,
 * never by name: 415 when it is neither audio nor video), and stored once per content under
 * {@code uploads/<ab>/<sha256>.<ext>}.
 */
final class AssetRoutes implements Routes {
    private final Services s;
    private final Path incomingDir;

    AssetRoutes(Services services) {
        this.s = services;
        this.incomingDir = services.dataDir().resolve("tmp").resolve("uploads");
    }

    @Override
    public void addTo(Javalin app) {
        app.post("/api/v1/assets", this::upload);
    }

    private void upload(Context ctx) throws Exception {
        UploadedFile file;
        try {
            file = ctx.uploadedFile("file");
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("exceed")
                    || String.valueOf(e.getCause()).toLowerCase(Locale.ROOT).contains("exceed")) {
                throw tooLarge();
            }
            throw e;
        }
        if (file == null) {
            throw new ApiError(400, "NO_FILE", "The request has no file",
                    "Send the file as multipart/form-data in a field named 'file'.");
        }
        if (file.size() > s.maxUpload()) {
            throw tooLarge();
        }
        String name = SafeName.of(file.filename());
        Files.createDirectories(incomingDir);
        Path incoming = Files.createTempFile(incomingDir, "upload-", ".part");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(file.content(), sha);
                    OutputStream out = Files.newOutputStream(incoming)) {
                in.transferTo(out);
            }
            String hash = HexFormat.of().formatHex(sha.digest());
            MediaInfo info;
            try {
                info = MediaProbe.probe(incoming, MediaLimits.DEFAULT);
            } catch (HeyGemException e) {
                throw new ApiError(415, e.code().name(), "Not an audio or video file: " + name + " ("
                        + e.messageEn() + ")", "Upload a video (MP4, MOV, MKV, WebM, FLV, AVI, TS) or an audio file"
                        + " (WAV, MP3, M4A, FLAC).");
            }
            String kind = info.video().isPresent() ? "VIDEO" : "AUDIO";
            Path dir = s.dataDir().resolve("uploads").resolve(hash.substring(0, 2));
            Files.createDirectories(dir);
            Path stored = dir.resolve(hash + FileNames.extension(name));
            Files.move(incoming, stored, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            double duration = info.durationSeconds();
            String id = s.store().addAsset(hash, kind, name, s.dataDir().relativize(stored).toString(),
                    Files.size(stored), Double.isFinite(duration) ? duration : null);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", id);
            body.put("kind", kind);
            body.put("name", name);
            body.put("bytes", Files.size(stored));
            body.put("durationSeconds", Double.isFinite(duration) ? duration : null);
            ctx.status(201).json(body);
        } finally {
            Files.deleteIfExists(incoming);
        }
    }

    private ApiError tooLarge() {
        return new ApiError(413, "TOO_LARGE", "The file is larger than the upload limit of "
                + (s.maxUpload() >> 20) + " MiB",
                "Compress or shorten the file, or raise the limit (setting upload.maxBytes).");
    }
}
