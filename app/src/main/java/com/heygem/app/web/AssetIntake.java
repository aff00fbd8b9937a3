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
    private final Services s;
    private final Path incomingDir;

    AssetIntake(Services services) {
        this.s = services;
        this.incomingDir = services.dataDir().resolve("tmp").resolve("uploads");
    }

    /** The upload of {@code owner}: theirs alone, however many others sent the same bytes. */
    BatchStore.Asset store(InputStream content, String givenName, String owner) throws IOException {
        String name = SafeName.of(givenName, s.maxNameLength());
        Files.createDirectories(incomingDir);
        Path incoming = Files.createTempFile(incomingDir, "upload-", ".part");
        try {
            MessageDigest sha = sha256();
            try (InputStream in = new DigestInputStream(content, sha); OutputStream out = Files.newOutputStream(incoming)) {
                in.transferTo(out);
            }
            String hash = HexFormat.of().formatHex(sha.digest());
            MediaInfo info;
            try {
                info = MediaProbe.probe(incoming, MediaLimits.DEFAULT);
            } catch (HeyGemException e) {
                // The probe names the temporary file; the user knows their file by its own name.
                throw FileNames.asTheirs(e, incoming, name);
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
