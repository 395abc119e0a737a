using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;
using VodConsole.Core.Data;
using VodConsole.Core.Setup;

namespace VodConsole.Data.Postgres;

/// <summary>
/// The context <c>dotnet ef</c> builds PostgreSQL's model from (README, "Model changes"): made by the console's own
/// registration, so the model is the running console's (Identity's schema version comes from its options). Generating a
/// migration only reads the model, so the connection string is never used; the console's <c>migrate</c> command applies
/// migrations.
/// </summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<VodDbContext>
{
    public VodDbContext CreateDbContext(string[] args)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddVodConsoleCore(DatabaseOptions.Postgres("Host=localhost;Database=vodconsole"));
        return services.BuildServiceProvider().GetRequiredService<IDbContextFactory<VodDbContext>>().CreateDbContext();
    }
}
