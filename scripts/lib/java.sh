# Sourced by the Java set-up scripts, after lib/setup.sh: the pulumi-java release they build from. Its Go module holds
# both the Java code generator (scripts/generate/sdkgen-java) and the `pulumi-language-java` host, and the code it
# generates is written for the com.pulumi:pulumi Java SDK of the same release (the generated pom.xml names it).
# The Go module proxy serves v1.16.0 (and the older v1.13.0; it refuses the version list). v1.16.0 requires pulumi
# pkg/v3 v3.182.0 and does not compile against the v3.259.0 the other generators use: each Java tool is built in a
# wrapper module of its own.
PULUMI_JAVA_VERSION="1.16.0"
PULUMI_JAVA_MODULE="github.com/pulumi/pulumi-java/pkg"
