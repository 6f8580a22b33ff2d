package dev.painterly.cli;

import dev.painterly.engine.DeviceInfo;
import dev.painterly.engine.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/** Lists the OpenCL devices and the reference backend, marking the default. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = "List OpenCL devices (platform, name, type, global memory, compute units); * marks the default.")
final class DevicesCommand implements Runnable {

    @Mixin
    DeviceOptions options;

    @Override
    public void run() {
        PrintStream out = System.out;
        List<DeviceInfo> all = Devices.list();
        String selector = Devices.effectiveSelector(options.device);
        Optional<Integer> chosen;
        if (selector != null && selector.equalsIgnoreCase(Devices.JAVA)) {
            chosen = Optional.of(-1);
        } else if (all.isEmpty()) {
            chosen = Optional.empty();
        } else {
            chosen = Optional.of(Devices.resolve(selector).index());
        }
        if (all.isEmpty()) {
            out.println("no OpenCL device found: " + OpenClInstall.advice() + ", or use --device java");
        }
        for (DeviceInfo d : all) {
            out.printf("%s %d  %-28s %-44s %-4s %8.1f GiB %4d compute units%n",
                    chosen.orElse(-2) == d.index() ? "*" : " ", d.index(), d.platform(), d.name(), d.type(),
                    d.globalMemoryBytes() / (double) (1L << 30), d.computeUnits());
        }
        out.printf("%s %s  %-28s %-44s %-4s%n", chosen.orElse(-2) == -1 ? "*" : " ", "java", "reference",
                "plain-Java reference backend (slow)", "CPU");
    }
}
