#!/usr/bin/env bash
# Regenerates THIRD-PARTY-NOTICES from the metadata of the packages inside the keyvault executable (their .nuspec
# licence expressions and licence and notice files in the NuGet cache). The generator is
# tests/KeyVault.Tests/Packaging/ThirdPartyNotices.cs; ThirdPartyNoticesTests fails whenever the committed file differs
# from what it generates, so run this after changing a package, then commit THIRD-PARTY-NOTICES.
set -euo pipefail
cd "$(dirname "$0")/.."
# The generator reads the runtime pack of the pinned SDK, which a linux-x64 restore brings into the NuGet cache.
dotnet restore src/KeyVault.Cli -r linux-x64 --nologo -v quiet
dotnet build KeyVault.sln -c Release --nologo -v quiet
KEYVAULT_WRITE_VECTORS=1 dotnet test tests/KeyVault.Tests -c Release --no-build --nologo -v quiet \
  --filter "FullyQualifiedName~ThirdPartyNoticesTests.TheCommittedFileIsWhatTheGeneratorMakesFromThePackageMetadata"
echo "notices: THIRD-PARTY-NOTICES rewritten ($(grep -c . THIRD-PARTY-NOTICES) lines)"
