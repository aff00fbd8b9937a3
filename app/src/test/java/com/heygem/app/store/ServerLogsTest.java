package com.heygem.app.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class ServerLogsTest {
    private static final Logger LOG = LoggerFactory.getLogger(ServerLogsTest.class);

    @TempDir
    Path data;

    @Test
    void everyLineGoesToTheServerLogAndAnItemsLinesAlsoToItsOwn() throws Exception {
        String item = "i_abcdefghijkmnpqr";
        try (ServerLogs logs = ServerLogs.install(data)) {
            LOG.info("server starting");
            MDC.put("batch", "b_xyz");
            MDC.put("item", item);
            try {
                LOG.warn("template has a small face");
            } finally {
                MDC.clear();
            }
            MDC.put("item", "../../escape");
            try {
                LOG.info("never a file outside the logs");
            } finally {
                MDC.clear();
            }
        }
        LOG.info("after close: in neither file");
        String server = Files.readString(data.resolve("logs/heygem.log"));
        assertThat(server).contains("server starting").contains("[b_xyz/" + item + "]")
                .contains("template has a small face").doesNotContain("after close");
        String own = Files.readString(ServerLogs.itemLog(data, item));
        assertThat(own).contains("template has a small face").doesNotContain("server starting");
        try (var files = Files.list(data.resolve("logs/items"))) {
            assertThat(files).hasSize(1);
        }
        assertThat(data.getParent().resolve("escape.log")).doesNotExist();
    }

    @Test
    void aTokenInAMessageIsMaskedAndOnlyTheServerCanReadTheFiles() throws Exception {
        String token = "0123456789abcdef0123456789abcdef";
        try (ServerLogs logs = ServerLogs.install(data)) {
            LOG.info("open http://localhost:7860/?token={} to start", token);
            MDC.put("item", "i_abcdefghijkmnpqr");
            try {
                LOG.info("a link with &TOKEN={}&x=1", token);
            } finally {
                MDC.clear();
            }
        }
        String server = Files.readString(data.resolve("logs/heygem.log"));
        assertThat(server).doesNotContain(token).contains("?token=*** to start").contains("&TOKEN=***&x=1");
        assertThat(Files.readString(ServerLogs.itemLog(data, "i_abcdefghijkmnpqr"))).doesNotContain(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("logs"))))
                .isEqualTo("rwx------");
        try (ServerLogs again = ServerLogs.install(data)) {
            // Files left by an earlier start (created under the umask) are closed off too.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("logs/heygem.log"))))
                    .isEqualTo("rw-------");
        }
    }
}
