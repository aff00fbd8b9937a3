package com.heygem.app.cli;

import com.heygem.app.config.Config;
import com.heygem.app.config.Setting;
import com.heygem.app.web.AccessToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code heygem token rotate}: replaces the access token. A running server notices within a
 * second; the old token and every browser session opened with it stop working at once.
 */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "Replace the access token ('rotate'): the old token and all signed-in browsers are shut out.")
final class TokenCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "rotate", description = "rotate: write a new token")
    String action;

    @Option(names = "--config", description = "Settings file (default: HEYGEM_CONFIG, else ./heygem.properties).")
    Path config;

    @Option(names = "--data-dir", description = "Data directory, setting data.dir.")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        if (!action.equals("rotate")) {
            System.err.println("heygem token: unknown action '" + action + "'; the one action is: heygem token rotate");
            return ExitCodes.USAGE;
        }
        Map<Setting, String> flags = new EnumMap<>(Setting.class);
        Config.option(flags, Setting.DATA_DIR, dataDir);
        Config settings = Config.load(ServeCommand.configFile(config), System.getenv(), flags);
        Path dir = Files.createDirectories(settings.path(Setting.DATA_DIR));
        String token = AccessToken.rotate(dir);
        System.out.println("New access token (also in " + dir.resolve("token").toAbsolutePath() + "):");
        System.out.println("  " + token);
        System.out.println("The old token and every signed-in browser are shut out; a running server noticed within a second.");
        return ExitCodes.OK;
    }
}
