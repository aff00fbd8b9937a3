package com.heygem.app.cli;

import picocli.CommandLine;

final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = HeyGem.class.getPackage().getImplementationVersion();
        return new String[] {"heygem " + (v == null ? "development build" : v)};
    }
}
