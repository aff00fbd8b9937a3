package com.heygem.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./heygem} launcher itself, run as a user runs it. Its package check once read
 * {@code ldconfig -p | grep -q} under {@code pipefail}: on a machine whose library list is larger
 * than a pipe's buffer, grep stops at the first match, ldconfig dies of SIGPIPE and the launcher
 * said an installed package was missing (3 starts in 10 on the tester's machine).
 */
class LauncherTest {
    private static final Path LAUNCHER = Path.of("..", "heygem").toAbsolutePath().normalize();
    private static final int RUNS = 50;

    @TempDir
    Path dir;

    @Test
    void theLauncherStartsEveryTimeOnAMachineWithManyLibraries() throws Exception {
        // An ldconfig that lists libpulse first, then a megabyte of other libraries (this machine's
        // own list fits in a pipe's buffer, so it cannot show the failure).
        Path bin = Files.createDirectories(dir.resolve("bin"));
        StringBuilder script = new StringBuilder("#!/bin/sh\n")
                .append("echo '\tlibpulse.so.0 (libc6,x86-64) => /lib/x86_64-linux-gnu/libpulse.so.0'\n")
                .append("i=0; while [ $i -lt 20000 ]; do echo \"\tlibother$i.so.1 (libc6,x86-64) => /lib/libother$i.so.1\";")
                .append(" i=$((i+1)); done\n");
        Path ldconfig = bin.resolve("ldconfig");
        Files.writeString(ldconfig, script, StandardCharsets.UTF_8);
        open(dir);
        open(bin);
        Files.setPosixFilePermissions(ldconfig, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // As root a false "missing" would run apt-get; as another user it stops the launcher.
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.addAll(List.of(LAUNCHER.toString(), "check"));
        int failures = 0;
        String firstFailure = null;
        for (int k = 0; k < RUNS; k++) {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("PATH", bin + ":" + System.getenv("PATH") + ":/usr/sbin:/sbin");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            if (p.exitValue() != 0 || !out.contains("ready")) {
                failures++;
                firstFailure = firstFailure == null ? "exit " + p.exitValue() + ": " + out : firstFailure;
            }
        }
        assertThat(failures).as("failed starts of %d; first: %s", RUNS, firstFailure).isZero();
    }

    private static void open(Path p) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
