using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using VodConsole.Core.Data;
using VodConsole.Core.Media;

namespace VodConsole.Tests.Media;

/// <summary>
/// The processing worker asks for the oldest waiting item every few seconds on every instance. Without an index of its
/// own that question reads every media row of the account (a million rows: about 100 ms of a core per poll, measured
/// with the role-switch bench, decision 0022); the queue's partial index answers it from the few waiting items.
/// </summary>
public sealed class MediaProcessingQueueTests : IAsyncDisposable
{
    private TestConsole? console;

    public async ValueTask DisposeAsync()
    {
        if (console is not null) await console.DisposeAsync();
    }

    [Fact]
    public async Task The_processing_queue_is_read_from_its_own_index_in_its_order()
    {
        console = await TestConsole.StartAsync();
        await using var db = await console.Get<ApplicationData>().OpenSystemWideAsync();
        var oldestWaiting = MediaProcessor.Kind.Order(db.Media.Where(MediaProcessor.Kind.Pending)).Take(1);

        var plan = await PlanAsync(db, oldestWaiting.ToQueryString());

        Assert.Contains("IX_Media_ProcessingQueue", plan);
        // Read in the index's order, so the first waiting item ends the read: no sort of every waiting item first.
        Assert.DoesNotContain(TestDatabase.IsPostgres ? "Sort" : "TEMP B-TREE", plan);
    }

    /// <summary>
    /// The engine's plan for the statement. PostgreSQL is told to avoid a table scan wherever an index can answer, since
    /// for a test's few rows it would rightly prefer one: what is asserted is that the index can answer the queue's query.
    /// </summary>
    private static async Task<string> PlanAsync(VodDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        if (TestDatabase.IsPostgres)
        {
            await ExecuteAsync(connection, transaction, "SET LOCAL enable_seqscan = off");
        }
        await using var explain = connection.CreateCommand();
        explain.Transaction = transaction;
        // ToQueryString writes each parameter as a line before the statement (".param set @p 1" on SQLite, "-- @p='1'" on
        // PostgreSQL): those become the command's parameters, the rest is the statement.
        var statement = new List<string>();
        foreach (var line in sql.Split('\n'))
        {
            var declared = Regex.Match(line, @"^(?:\.param set |-- )(@\w+)[ =]'?([^' ]*)");
            if (!declared.Success)
            {
                statement.Add(line);
                continue;
            }
            var parameter = explain.CreateParameter();
            parameter.ParameterName = declared.Groups[1].Value;
            var value = declared.Groups[2].Value;
            parameter.Value = bool.TryParse(value, out var flag) ? flag : int.TryParse(value, out var number) ? number : value;
            explain.Parameters.Add(parameter);
        }
        explain.CommandText = (TestDatabase.IsPostgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + string.Join("\n", statement);
        var lines = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetValue(reader.FieldCount - 1).ToString()!);
            }
        }
        return string.Join("\n", lines);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
