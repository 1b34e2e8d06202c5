using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Query;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// The cursor condition of every keyset read, written so that the database seeks to the cursor instead of filtering
/// every row before it.
/// </summary>
/// <remarks>
/// "Strictly after (k, t) in (key, tie) order" is <c>key &gt; k OR (key = k AND tie &gt; t)</c>; with that shape
/// PostgreSQL and SQLite use only the tenant prefix of the (tenant, key, tie) index and filter out every row before the
/// position. This writes it as <c>key &gt;= k AND (key &gt; k OR tie &gt; t)</c>: the same rows, but the first term is
/// a range on the index's key column, so the read starts at the cursor and the filter only skips the rows that share
/// the cursor's key. Descending reads mirror it (<c>key &lt;= k AND (key &lt; k OR tie &lt; t)</c>). Keys must not be
/// null (a NULL compares as unknown and would drop out of the page).
/// </remarks>
internal static class Keyset
{
    /// <summary>
    /// The rows strictly after (<paramref name="keyValue"/>, <paramref name="tieValue"/>) in the order of
    /// <paramref name="key"/> then <paramref name="tie"/>, ascending or descending.
    /// </summary>
    /// <typeparam name="TRow">The row.</typeparam>
    /// <typeparam name="TKey">The sort key: a number, a text or a guid.</typeparam>
    /// <typeparam name="TTie">The tie-breaker: a number, a text or a guid.</typeparam>
    /// <param name="rows">The rows.</param>
    /// <param name="key">The sort key column.</param>
    /// <param name="keyValue">The cursor's sort key.</param>
    /// <param name="tie">The tie-breaker column.</param>
    /// <param name="tieValue">The cursor's tie-breaker.</param>
    /// <param name="ascending">Whether the order is ascending (else "after" means before, in descending order).</param>
    public static IQueryable<TRow> After<TRow, TKey, TTie>(
        IQueryable<TRow> rows, Expression<Func<TRow, TKey>> key, TKey keyValue, Expression<Func<TRow, TTie>> tie, TTie tieValue, bool ascending)
    {
        var row = key.Parameters[0];
        var keyColumn = key.Body;
        var tieColumn = ReplacingExpressionVisitor.Replace(tie.Parameters[0], row, tie.Body);
        var (past, reached) = ascending
            ? (ExpressionType.GreaterThan, ExpressionType.GreaterThanOrEqual)
            : (ExpressionType.LessThan, ExpressionType.LessThanOrEqual);
        var condition = Expression.AndAlso(
            Compare(keyColumn, reached, Parameter(keyValue)),
            Expression.OrElse(Compare(keyColumn, past, Parameter(keyValue)), Compare(tieColumn, past, Parameter(tieValue))));
        return rows.Where(Expression.Lambda<Func<TRow, bool>>(condition, row));
    }

    /// <summary>A value EF Core sends as a parameter: a field read of a captured object, as a closure's is.</summary>
    internal static MemberExpression Parameter<T>(T value)
        => Expression.Field(Expression.Constant(new StrongBox<T>(value)), nameof(StrongBox<T>.Value));

    /// <summary>
    /// <paramref name="column"/> compared to <paramref name="value"/>: with the operator for numbers, with
    /// <c>CompareTo(value) op 0</c> for texts and guids, which EF Core translates to the plain SQL comparison.
    /// </summary>
    internal static BinaryExpression Compare(Expression column, ExpressionType comparison, Expression value)
    {
        var type = column.Type;
        if (type.IsPrimitive)
        {
            return Expression.MakeBinary(comparison, column, value);
        }

        var compareTo = type.GetMethod(nameof(IComparable<>.CompareTo), [type])
            ?? throw new ArgumentException($"{type} has no CompareTo({type}).", nameof(column));
        return Expression.MakeBinary(comparison, Expression.Call(column, compareTo, value), Expression.Constant(0));
    }
}
