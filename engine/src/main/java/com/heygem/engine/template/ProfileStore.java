package com.heygem.engine.template;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Template profiles on disk, one file per template content ({@code profiles/<sha256>.profile}
 * under the data directory), so every batch that uses a template reuses its analysis.
 *
 * <p>The file starts with a magic string and {@link #VERSION}; any other version, a different
 * landmark model, or a damaged file is treated as absent and the template is analysed again,
 * never misread. Files are written under a temporary name and renamed into place, so a crash
 * mid-write leaves nothing half-written behind; through java.io streams, which an interrupt of
 * the writing thread does not close (a {@code FileChannel} would be closed by it).
 */
public final class ProfileStore {
    private static final Logger LOG = LoggerFactory.getLogger(ProfileStore.class);
    private static final String MAGIC = "HEYGEM-PROFILE";
    /** Raise when the format or anything that changes analysis results changes. */
    public static final int VERSION = 3; // 3: the template's own sound's features

    private final Path dir;

    public ProfileStore(Path dataDir) {
        this.dir = dataDir.resolve("profiles");
    }

    public Path fileFor(String contentHash) {
        return dir.resolve(contentHash + ".profile");
    }

    /** Where the template's {@link MouthCropFile} lives. */
    public Path cropsFor(String contentHash) {
        return dir.resolve(contentHash + ".mouths");
    }

    Path dir() {
        return dir;
    }

    /**
     * Deletes the least recently used crop files until those left take at most {@code maxBytes}.
     * Profiles are small and always kept; a template whose crops went is cut again at its next render.
     */
    public void evictCrops(long maxBytes) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        record Entry(Path path, long bytes, long used) {
        }
        java.util.List<Entry> entries = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(".mouths")) {
                    try {
                        entries.add(new Entry(p, Files.size(p), Files.getLastModifiedTime(p).toMillis()));
                    } catch (IOException e) {
                        // vanished meanwhile (another process evicting): nothing to count
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("could not list {} to keep the crop cache small: {}", dir, e.toString());
            return;
        }
        long total = entries.stream().mapToLong(Entry::bytes).sum();
        entries.sort(java.util.Comparator.comparingLong(Entry::used));
        for (Entry e : entries) {
            if (total <= maxBytes) {
                break;
            }
            try {
                Files.deleteIfExists(e.path());
                total -= e.bytes();
                LOG.info("mouth crop cache over {} MiB: removed {} ({} MiB)", maxBytes >> 20, e.path().getFileName(),
                        e.bytes() >> 20);
            } catch (IOException ex) {
                LOG.warn("could not remove {}: {}", e.path(), ex.toString());
            }
        }
    }

    /** SHA-256 of the file's bytes, in hex. */
    public static String contentHash(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[1 << 20];
        // java.io streams, not channels: an interrupted thread must not turn into "file not found".
        try (InputStream in = new FileInputStream(file.toFile())) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
            }
        } catch (java.io.FileNotFoundException e) {
            if (Files.notExists(file)) {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
            throw e;
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The stored profile for this content and model, if there is a readable one of this version. */
    public Optional<TemplateProfile> load(String contentHash, String modelFingerprint) {
        Path file = fileFor(contentHash);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            if (!MAGIC.equals(in.readUTF())) {
                LOG.info("profile {} is not a HeyGem profile; analysing again", file);
                return Optional.empty();
            }
            int version = in.readInt();
            if (version != VERSION) {
                LOG.info("profile {} has format version {}, this HeyGem writes {}; analysing again", file, version, VERSION);
                return Optional.empty();
            }
            if (!modelFingerprint.equals(in.readUTF())) {
                LOG.info("profile {} was made with another landmark model; analysing again", file);
                return Optional.empty();
            }
            return Optional.of(ProfileCodec.read(in, contentHash));
        } catch (IOException | RuntimeException e) {
            LOG.warn("profile {} cannot be read ({}); analysing again", file, e.toString());
            return Optional.empty();
        }
    }

    public void save(TemplateProfile profile, String modelFingerprint) throws IOException {
        Files.createDirectories(dir);
        Path target = fileFor(profile.contentHash());
        Path temp = dir.resolve("." + profile.contentHash() + "." + UUID.randomUUID() + ".partial");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    new FileOutputStream(temp.toFile()), 1 << 16))) {
                out.writeUTF(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(modelFingerprint);
                ProfileCodec.write(profile, out);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
