package com.heygem.app.web;

import com.heygem.app.store.BatchStore;
import com.heygem.app.store.FileNames;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.media.MediaInfo;
import com.heygem.engine.media.MediaLimits;
import com.heygem.engine.media.MediaProbe;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Takes a file in (an upload, or a file named by {@code /easy/submit}): copies it under a
 * temporary name while hashing it, probes its content (415 when it is neither audio nor video),
 * and keeps its bytes once per content as {@code uploads/<ab>/<sha256>.<ext>}, below the records:
 * each account's upload is a record of its own, whoever else uploaded the same bytes.
 */
final class AssetIntake {
    /** The longest name the database keeps (assets.file_name). */
    static final int MAX_NAME = 255;
    private final Services s;
    private final Path incomingDir;

    AssetIntake(Services services) {
        this.s = services;
        this.incomingDir = services.dataDir().resolve("tmp").resolve("uploads");
    }

    /** What an upload is for, when the uploader says: a file that cannot serve it is refused before it is kept. */
    enum Use {
        ANY, SPEECH, TEMPLATE;

        /** {@code ?use=speech|template} of an upload, or ANY without it. */
        static Use of(String value) {
            if (value == null || value.isBlank()) {
                return ANY;
            }
            return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "speech", "audio" -> SPEECH;
                case "template", "presenter" -> TEMPLATE;
                default -> throw new ApiError(400, "BAD_REQUEST", "'use' must be speech or template, not '"
                        + SafeName.of(value) + "'", "Leave it out, or say what the file is for.")
                        .zh("use 只能是 speech 或 template，而不是 '" + SafeName.of(value) + "'", "请去掉该参数，或说明文件的用途。");
            };
        }
    }

    /** The upload of {@code owner}: theirs alone, however many others sent the same bytes. */
    BatchStore.Asset store(InputStream content, String givenName, String owner) throws IOException {
        return store(content, givenName, owner, Use.ANY);
    }

    /**
     * {@link #store(InputStream, String, String)}, refusing (422, named as the user's file) a speech
     * without a sound track or a template without a picture before anything is kept.
     */
    BatchStore.Asset store(InputStream content, String givenName, String owner, Use use) throws IOException {
        return store(content, givenName, owner, use, bytes -> { });
    }

    /**
     * {@link #store(InputStream, String, String, Use)}, asking {@code room} whether {@code bytes}
     * more may be kept for the owner (it throws when not) — unless the owner already has these
     * bytes: uploading a file again takes no more room, so no quota refuses it.
     */
    BatchStore.Asset store(InputStream content, String givenName, String owner, Use use,
            java.util.function.LongConsumer room) throws IOException {
        String name = SafeName.fileName(givenName, Math.min(MAX_NAME, s.maxNameLength()));
        Files.createDirectories(incomingDir);
        Path incoming = Files.createTempFile(incomingDir, "upload-", ".part");
        try {
            MessageDigest sha = sha256();
            try (InputStream in = new DigestInputStream(content, sha); OutputStream out = Files.newOutputStream(incoming)) {
                in.transferTo(out);
            }
            String hash = HexFormat.of().formatHex(sha.digest());
            if (!s.store().hasUpload(owner, hash)) {
                room.accept(Files.size(incoming));
            }
            MediaInfo info;
            try {
                info = MediaProbe.probe(incoming, MediaLimits.DEFAULT);
            } catch (HeyGemException e) {
                // The probe names the temporary file; the user knows their file by its own name.
                throw FileNames.asTheirs(e, incoming, name);
            }
            if (use == Use.SPEECH && !info.hasAudio()) {
                throw new HeyGemException(com.heygem.engine.error.ErrorCode.NO_AUDIO_STREAM, name);
            }
            if (use == Use.TEMPLATE && !info.hasVideo()) {
                throw new HeyGemException(com.heygem.engine.error.ErrorCode.NO_VIDEO_STREAM, name);
            }
            String kind = info.video().isPresent() ? "VIDEO" : "AUDIO";
            Path stored = s.store().storedPaths(hash, kind).stream().map(s.dataDir()::resolve)
                    .filter(Files::isRegularFile).findFirst().orElse(null);
            if (stored == null) {
                Path dir = s.dataDir().resolve("uploads").resolve(hash.substring(0, 2));
                Files.createDirectories(dir);
                stored = dir.resolve(hash + FileNames.extension(name));
                Files.move(incoming, stored, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } // else: the same content is kept already (perhaps under another extension): one copy only

            double duration = info.durationSeconds();
            int width = info.video().map(v -> v.width()).orElse(0);
            int height = info.video().map(v -> v.height()).orElse(0);
            String id = s.store().addAsset(owner, hash, kind, name, s.dataDir().relativize(stored).toString(),
                    Files.size(stored), Double.isFinite(duration) ? duration : null, width, height);
            return s.store().asset(id).orElseThrow();
        } finally {
            Files.deleteIfExists(incoming);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
