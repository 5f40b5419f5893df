using AdIntel.Web.Imports;

namespace AdIntel.Web.Tests.Imports;

public sealed class ImportMessageListTests
{
    [Fact]
    public void A_line_with_two_problems_is_one_line_naming_both_and_lines_over_the_cap_are_counted_once()
    {
        var list = new ImportMessageList();
        list.Add(8, "Quantity “two” is not a whole number.");
        list.Add(8, "Order #1002 was not imported.");
        list.Add(12, "Created at “someday” is not a date.");
        for (var line = 100; line < 100 + ImportMessageList.Cap; line++)
        {
            list.Add(line, "Bad.");
            list.Add(line, "Also bad.");
        }

        Assert.Equal(ImportMessageList.Cap, list.Kept.Count);
        Assert.Equal(new ImportMessage(8, "Quantity “two” is not a whole number. Order #1002 was not imported."), list.Kept[0]);
        Assert.Equal(12, list.Kept[1].Line);
        // 2 + 200 lines with problems: 200 listed, 2 only counted, each once although it had two problems.
        Assert.Equal(2, list.Omitted);
        Assert.Equal(202, list.Count);
    }
}
