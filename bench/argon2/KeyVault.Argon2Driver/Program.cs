using System.Security.Cryptography;
using KeyVault.KeyFile;

// Usage: keyvault-argon2 M_KIB T P SALT_HEX < password. Prints the 32-byte tag in hex, as bench/argon2/argon2_c.c does.
if (args.Length != 4)
{
    Console.Error.WriteLine("usage: keyvault-argon2 M_KIB T P SALT_HEX < password");
    return 2;
}
var password = GC.AllocateArray<byte>(256, pinned: true);
var length = 0;
using (var stdin = Console.OpenStandardInput())
{
    int n;
    while (length < password.Length && (n = stdin.Read(password, length, password.Length - length)) > 0) length += n;
}
var parameters = new KdfParameters(long.Parse(args[0]), long.Parse(args[1]), long.Parse(args[2]));
var tag = Argon2Kdf.Argon2id(password.AsSpan(0, length), Convert.FromHexString(args[3]), [], [], parameters, 32);
CryptographicOperations.ZeroMemory(password);
Console.Out.WriteLine(Convert.ToHexStringLower(tag));
CryptographicOperations.ZeroMemory(tag);
return 0;
