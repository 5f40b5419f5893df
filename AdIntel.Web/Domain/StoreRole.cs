namespace AdIntel.Web.Domain;

public enum StoreRole
{
    Viewer = 0,
    Accountant = 1,
    Marketer = 2,
    Owner = 3,
}
