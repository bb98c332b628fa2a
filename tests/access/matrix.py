"""The access-control matrix: what each person gets from every URL the project
serves, for every method it answers. One row per URL name (and per action, for a
URL whose slug names one: orders:act[refund]) and method; one column per person
of the world (tests/access/world.py), each asking about objects of the
B1/F1/A/official-of-IN chain, so a column says what its person gets of their own
object or of someone else's:

    anon     not signed in              farmer2  F2, another farmer
    buyer    B1, the buyer of O1        asst     A, F1's assistant
    buyer2   B2, another buyer          asst2    B, same county, not F1's
    uadmin   the admin of unit U1       off_in   the official of F1's county
    ubuyer   a buyer of unit U1         off_out  the official of another county
    uadmin2  the admin of unit U2       staff    platform staff
    farmer   F1, the owner

Units U1 and U2 sit in F1's county; their people are buyers too.

Cells: the status code; `302` a redirect (not to sign in); `login` sent to sign
in; `signup` sent to sign up (checkout); a trailing `*` means the request ran a
write (INSERT, UPDATE or DELETE) on the platform's tables, and a cell without it
asserts that it wrote nothing. A refusal (login, signup, 401, 403, 404, 405)
never writes, and a refused write leaves every table's row count as it was.

A method a URL answers is in the table. One that is not must be refused for
everyone (405, or the refusal the person gets anyway) and write nothing; HEAD
answers as GET does (or 405); OPTIONS is 405, a refusal, or the empty 200 with
an Allow header that DRF and Django's class-based views give. A new URL name
that has no row here fails test_every_url_is_in_the_table until someone decides
who may use it. The admin has its own rule (ADMIN, in test_admin.py).
"""

# ruff: noqa: E501

TABLE = """
URL name                              method  anon    buyer   buyer2  uadmin  ubuyer  uadmin2 farmer  farmer2 asst    asst2   off_in  off_out staff

# Public pages (no sign-in), health, language
home                                  GET     200     200     200     200     200     200     200     200     200     200     200     200     200
catalogue                             GET     200     200     200     200     200     200     200     200     200     200     200     200     200
product                               GET     200     200     200     200     200     200     200     200     200     200     200     200     200
storefront                            GET     200     200     200     200     200     200     200     200     200     200     200     200     200
county                                GET     200     200     200     200     200     200     200     200     200     200     200     200     200
healthz                               GET     200     200     200     200     200     200     200     200     200     200     200     200     200
counties:division_children            GET     200     200     200     200     200     200     200     200     200     200     200     200     200
# Django's view: every method redirects back; only a POST sets the language (a cookie)
set_language                          GET     302     302     302     302     302     302     302     302     302     302     302     302     302
set_language                          POST    302     302     302     302     302     302     302     302     302     302     302     302     302
set_language                          PUT     302     302     302     302     302     302     302     302     302     302     302     302     302
set_language                          PATCH   302     302     302     302     302     302     302     302     302     302     302     302     302
set_language                          DELETE  302     302     302     302     302     302     302     302     302     302     302     302     302
set_language                          OPTIONS 302     302     302     302     302     302     302     302     302     302     302     302     302

# Accounts
accounts:login                        GET     200     302     302     302     302     302     302     302     302     302     302     302     302
accounts:login                        POST    200     302     302     302     302     302     302     302     302     302     302     302     302
accounts:phone_sign_in                GET     200     302     302     302     302     302     302     302     302     302     302     302     302
accounts:phone_sign_in                POST    200     302     302     302     302     302     302     302     302     302     302     302     302
accounts:phone                        GET     login   200     200     200     200     200     200     200     200     200     200     200     200
accounts:phone                        POST    login   200     200     200     200     200     200     200     200     200     200     200     200
accounts:logout                       POST    302     302     302     302     302     302     302     302     302     302     302     302     302
accounts:password_change              GET     login   200     200     200     200     200     200     200     200     200     200     200     200
accounts:password_change              POST    login   200     200     200     200     200     200     200     200     200     200     200     200
accounts:password_change_done         GET     login   200     200     200     200     200     200     200     200     200     200     200     200
accounts:sign_up                      GET     200     302     302     302     302     302     302     302     302     302     302     302     302
accounts:sign_up                      POST    302*    302     302     302     302     302     302     302     302     302     302     302     302
# asked with a link that is not valid: the page says so, to anyone
accounts:set_password                 GET     200     200     200     200     200     200     200     200     200     200     200     200     200
accounts:set_password                 POST    200     200     200     200     200     200     200     200     200     200     200     200     200
accounts:set_password_done            GET     200     200     200     200     200     200     200     200     200     200     200     200     200
accounts:home                         GET     login   302     302     302     302     302     302     302     302     302     302     302     302

# Farmers' pages, listings (farmers and assistants), the register import (officials)
# A farmer's own pages: farmer2 gets their own (the URL names no farmer)
orders:farmer_home                    GET     login   403     403     403     403     403     200     200     403     403     403     403     403
farmers:storefront                    GET     login   403     403     403     403     403     200     200     403     403     403     403     403
farmers:storefront                    POST    login   403     403     403     403     403     302*    200     403     403     403     403     403
# A storefront's shipping fees: the farmer, their assistant, staff (issue 19)
shipping:own                          GET     login   403     403     403     403     403     302     302     403     403     403     403     403
shipping:template                     GET     login   403     403     403     403     403     200     404     200     404     403     403     200
shipping:template                     POST    login   403     403     403     403     403     302*    404     302*    404     403     403     302*
# Pickup points: staff, and officials for their counties
shipping:points                       GET     login   403     403     403     403     403     403     403     403     403     200     200     200
shipping:point_new                    GET     login   403     403     403     403     403     403     403     403     403     200     200     200
shipping:point_new                    POST    login   403     403     403     403     403     403     403     403     403     302*    200     302*
shipping:point                        GET     login   403     403     403     403     403     403     403     403     403     200     404     200
shipping:point                        POST    login   403     403     403     403     403     403     403     403     403     302*    404     302*
# Listings: farmers and their assistants (staff too); someone else's listing is 404
catalogue:listings                    GET     login   403     403     403     403     403     200     200     200     200     403     403     200
catalogue:listing_new                 GET     login   403     403     403     403     403     200     200     200     200     403     403     200
catalogue:listing_new                 POST    login   403     403     403     403     403     302*    302*    302*    200     403     403     302*
catalogue:listing                     GET     login   403     403     403     403     403     200     404     200     404     403     403     200
catalogue:listing                     POST    login   403     403     403     403     403     302*    404     302*    404     403     403     302*
catalogue:listing_quick               POST    login   403     403     403     403     403     302*    404     302*    404     403     403     302*
catalogue:listing_photo_add           POST    login   403     403     403     403     403     302*    404     302*    404     403     403     302*
catalogue:listing_photo_change[up]    POST    login   403     403     403     403     403     302*    404     302*    404     403     403     302*
catalogue:listing_photo_change[delete]  POST    login   403     403     403     403     403     302*    404     302*    404     403     403     302*
catalogue:listing_action[submit]      POST    login   403     403     403     403     403     302     404     302     404     403     403     302
catalogue:listing_action[archive]     POST    login   403     403     403     403     403     302*    404     302*    404     403     403     302*
catalogue:listing_action[restore]     POST    login   403     403     403     403     403     302     404     302     404     403     403     302
# The register import: officials (each their own uploads) and staff
farmers:register_import               GET     login   403     403     403     403     403     403     403     403     403     200     200     200
farmers:register_import               POST    login   403     403     403     403     403     403     403     403     403     302*    302*    302*
farmers:register_import_preview       GET     login   403     403     403     403     403     403     403     403     403     200     404     200
farmers:register_import_preview       POST    login   403     403     403     403     403     403     403     403     403     302*    404     302*

# The assistant's workspace; officials' assignments
fieldwork:home                        GET     login   403     403     403     403     403     403     403     200     200     403     403     403
assistants:farmer_list                GET     login   403     403     403     403     403     403     403     200     200     403     403     403
assistants:farmer_new                 GET     login   403     403     403     403     403     403     403     200     200     403     403     403
assistants:farmer_new                 POST    login   403     403     403     403     403     403     403     302*    200     403     403     403
# A farmer's file: their assistant, their county's official, staff
fieldwork:farmer_detail               GET     login   403     403     403     403     403     403     403     200     404     200     404     200
# F1's visit's photo: whoever sees F1's household file
fieldwork:visit_photo                 GET     login   403     403     403     403     403     403     403     200     404     200     404     200
assistants:farmer_link                GET     login   403     403     403     403     403     403     403     200     404     403     403     200
assistants:farmer_link                POST    login   403     403     403     403     403     403     403     302*    404     403     403     302*
# F1 has chosen a password: the link is not texted, the page says why
assistants:farmer_link_text           POST    login   403     403     403     403     403     403     403     302     404     403     403     302
assistants:farmer_verify              POST    login   403     403     403     403     403     403     403     302*    404     403     403     403
assistants:household_exit             POST    login   403     403     403     403     403     403     403     302*    404     302*    404     302*
fieldwork:visit_new                   GET     login   403     403     403     403     403     403     403     200     404     403     403     403
fieldwork:visit_new                   POST    login   403     403     403     403     403     403     403     302*    404     403     403     403
fieldwork:survey_new                  GET     login   403     403     403     403     403     403     403     200     404     403     403     403
fieldwork:survey_new                  POST    login   403     403     403     403     403     403     403     302*    404     403     403     403
fieldwork:survey_edit                 GET     login   403     403     403     403     403     403     403     200     404     200     404     200
# officials and staff read a survey; a POST shows the page again, changing nothing
fieldwork:survey_edit                 POST    login   403     403     403     403     403     403     403     302*    404     200     404     200
fieldwork:training_list               GET     login   403     403     403     403     403     403     403     200     200     200     200     200
fieldwork:training_new                GET     login   403     403     403     403     403     403     403     200     200     403     403     403
fieldwork:training_new                POST    login   403     403     403     403     403     403     403     302*    200     403     403     403
fieldwork:offline                     GET     login   403     403     403     403     403     403     403     200     200     403     403     403
# a record without its kind, id and recorder: refused, the page back with why
fieldwork:sync                        POST    login   403     403     403     403     403     403     403     302     302     403     403     403
# the installable app's manifest: browsers fetch it without cookies
fieldwork:manifest                    GET     200     200     200     200     200     200     200     200     200     200     200     200     200
# Assignments: F1 to assistant B; the other county's official may not (nothing written)
assistants:assignment_list            GET     login   403     403     403     403     403     403     403     403     403     200     200     200
assistants:assignment_list            POST    login   403     403     403     403     403     403     403     403     403     302*    302     302*
assistants:on_behalf                  GET     login   403     403     403     403     403     403     403     200     200     200     200     200
catalogue:reviews                     GET     login   403     403     403     403     403     403     403     200     200     403     403     200
catalogue:review_decide[approve]      POST    login   403     403     403     403     403     403     403     302*    404     403     403     302*
catalogue:review_decide[reject]       POST    login   403     403     403     403     403     403     403     302*    404     403     403     302*

# Cart, checkout, payment, orders
orders:home                           GET     login   200     200     200     200     200     403     403     403     403     403     403     403
# Anyone may fill a cart (B1's holds F2's product); checkout is for buyers
orders:cart                           GET     200     200     200     200     200     200     200     200     200     200     200     200     200
orders:cart_add                       POST    302*    302*    302*    302*    302*    302*    302*    302*    302*    302*    302*    302*    302*
orders:cart_update                    POST    302     302*    302     302     302*    302     302     302     302     302     302     302     302
orders:checkout                       GET     signup  200     302     302     200     302     302     302     302     302     302     302     302
orders:checkout                       POST    signup  302*    302     302     200     302     302     302     302     302     302     302     302
# B1's unpaid checkout and its payment
orders:checkout_done                  GET     login   200     404     404     404     404     403     403     403     403     403     403     403
orders:pay                            POST    login   302     404     404     404     404     403     403     403     403     403     403     403
orders:gateway                        GET     login   200     404     404     404     404     403     403     403     403     403     403     403
orders:gateway                        POST    login   302*    404     404     404     404     403     403     403     403     403     403     403
orders:webhook                        POST    400     400     400     400     400     400     400     400     400     400     400     400     400
# WeChat's sign-in before paying inside WeChat, about B1's checkout: a buyer's
# page, and not there at all unless WeChat Pay is configured (it is not here)
orders:wechat_oauth                   GET     login   404     404     404     404     404     403     403     403     403     403     403     403
orders:to_ship                        GET     login   403     403     403     403     403     200     200     403     403     403     403     200
orders:farmers_orders                 GET     login   403     403     403     403     403     403     403     200     200     200     200     200
# O1 (B1's, from F1, paid): its parties, F1's assistant and official, staff
orders:detail                         GET     login   200     404     404     404     404     200     404     200     404     200     404     200
orders:ship                           POST    login   403     403     403     403     403     302*    404     403     403     403     403     302*
orders:packing_slip                   GET     login   403     403     403     403     403     200     404     403     403     403     403     200
# The order page's buttons: a party the action is not for is sent back with a message
# Reviews (issue 19): the buyer reviews a completed order's line; the farmer,
# their assistant and staff list them; the farmer replies; the assistant or
# staff hide
reviews:list                          GET     login   403     403     403     403     403     200     200     200     200     403     403     200
reviews:new                           GET     login   200     404     404     404     404     403     403     403     403     403     403     403
reviews:new                           POST    login   302*    404     404     404     404     403     403     403     403     403     403     403
reviews:reply                         POST    login   403     403     403     403     403     302*    404     403     403     403     403     403
reviews:hide                          POST    login   403     403     403     403     403     403     403     302*    404     403     403     302*
# After-sales (issue 19): the buyer asks about a received order; the order's
# scope reads its cases; each party makes the moves the rules give them
aftersales:list                       GET     login   200     200     200     200     200     200     200     200     200     200     200     200
aftersales:new                        GET     login   200     404     404     404     404     403     403     403     403     403     403     403
aftersales:new                        POST    login   302*    404     404     404     404     403     403     403     403     403     403     403
aftersales:case                       GET     login   200     404     404     404     404     200     404     200     404     200     404     200
aftersales:move[refuse]               POST    login   302     404     404     404     404     302*    404     302*    404     403     403     302
aftersales:move[withdraw]             POST    login   302*    404     404     404     404     302     404     302     404     403     403     302
orders:act[cancel]                    POST    login   302*    404     404     404     404     302*    404     302     404     302     404     302*
orders:act[complete]                  POST    login   302     404     404     404     404     302     404     302     404     302     404     302
orders:act[deliver]                   POST    login   302     404     404     404     404     302     404     302     404     302     404     302
orders:act[refund]                    POST    login   302     404     404     404     404     302     404     302     404     302     404     302*

# The payment reconciliation: staff only (the world's mismatch is B1's unpaid
# payment; applying it is refused, the simulated gateway says it is pending;
# O1's failed refund is sent again, and the simulated gateway refunds it)
orders:reconciliation                 GET     login   403     403     403     403     403     403     403     403     403     403     403     200
orders:mismatch_resolve               POST    login   403     403     403     403     403     403     403     403     403     403     403     302*
orders:mismatch_apply                 GET     login   403     403     403     403     403     403     403     403     403     403     403     200
orders:mismatch_apply                 POST    login   403     403     403     403     403     403     403     403     403     403     403     302
orders:refund_retry                   GET     login   403     403     403     403     403     403     403     403     403     403     403     200
orders:refund_retry                   POST    login   403     403     403     403     403     403     403     403     403     403     403     302*

# Settlement: the farmer's earnings, the assistant's farmers' money (F1's account
# unverified, so A's verify writes; F1 entered it, so F1 may not confirm it),
# the staff's payouts, payouts by county
settlement:earnings                   GET     login   403     403     403     403     403     200     200     403     403     403     403     403
settlement:account_edit               GET     login   403     403     403     403     403     200     200     403     403     403     403     403
settlement:account_edit               POST    login   403     403     403     403     403     200     200     403     403     403     403     403
settlement:account_confirm            POST    login   403     403     403     403     403     302     302     403     403     403     403     403
settlement:assistant_farmers          GET     login   403     403     403     403     403     403     403     200     200     403     403     403
settlement:assistant_farmer_account   GET     login   403     403     403     403     403     403     403     200     404     403     403     403
settlement:assistant_farmer_account   POST    login   403     403     403     403     403     403     403     200     404     403     403     403
settlement:assistant_verify           POST    login   403     403     403     403     403     403     403     302*    404     403     403     403
settlement:batches                    GET     login   403     403     403     403     403     403     403     403     403     403     403     200
settlement:run                        GET     login   403     403     403     403     403     403     403     403     403     403     403     200
settlement:run                        POST    login   403     403     403     403     403     403     403     403     403     403     403     302*
settlement:batch                      GET     login   403     403     403     403     403     403     403     403     403     403     403     200
settlement:batch_paid                 POST    login   403     403     403     403     403     403     403     403     403     403     403     302
settlement:batch_csv                  GET     login   403     403     403     403     403     403     403     403     403     403     403     200
settlement:batch_xlsx                 GET     login   403     403     403     403     403     403     403     403     403     403     403     200
settlement:payout_failed              POST    login   403     403     403     403     403     403     403     403     403     403     403     302
settlement:county_payouts             GET     login   403     403     403     403     403     403     403     403     403     200     200     200

# Notifications
notifications:inbox                   GET     login   200     200     200     200     200     200     200     200     200     200     200     200
# everyone marks their own (an UPDATE, even with nothing unread)
notifications:mark_all_read           POST    login   302*    302*    302*    302*    302*    302*    302*    302*    302*    302*    302*    302*

# each saves their channels for the kinds they get; officials get none to save
notifications:settings                GET     login   200     200     200     200     200     200     200     200     200     200     200     200
notifications:settings                POST    login   302*    302*    302*    302*    302*    302*    302*    302*    302*    302     302     302*

# Text messages: the send log is platform staff's
sms:send_log                          GET     login   403     403     403     403     403     403     403     403     403     403     403     200

# Reports (officials and staff) and their exports
# Reports, asked about county IN: the other county's official gets 404
reports:home                          GET     login   403     403     403     403     403     403     403     403     403     200     404     200
reports:county_sales                  GET     login   403     403     403     403     403     403     403     403     403     200     404     200
reports:income_impact                 GET     login   403     403     403     403     403     403     403     403     403     200     404     200
reports:targeting_quality             GET     login   403     403     403     403     403     403     403     403     403     200     404     200
reports:assistant_performance         GET     login   403     403     403     403     403     403     403     403     403     200     404     200
reports:training_effect               GET     login   403     403     403     403     403     403     403     403     403     200     404     200
# a work unit's purchases (U1's): its admins, officials of its region, staff; a
# buyer who is no unit's admin is refused; another unit's admin, or an official
# of another county, gets a 404
reports:unit_purchases                GET     login   403     403     200     403     404     403     403     403     403     200     404     200
reports:county_unit_purchases         GET     login   403     403     403     403     403     403     403     403     403     200     404     200
reports:export_new                    POST    login   403     403     403     403     403     403     403     403     403     302*    404     302*
# an export is its requester's alone: staff get 404 too
reports:export                        GET     login   404     404     404     404     404     403     403     403     403     200     404     404
reports:export_download               GET     login   404     404     404     404     404     403     403     403     403     200     404     404

# Work units (/units/): a buyer's unit (a buyer in none is told how to join); the
# units officials and staff may see; registering one (staff); admins invite, withdraw,
# remove and set the budget (a unit's buyer is refused with a message: 302, no write)
procurement:home                      GET     login   200     200     200     200     200     403     403     403     403     403     403     403
procurement:units                     GET     login   403     403     403     403     403     403     403     403     403     200     200     200
procurement:unit_new                  GET     login   403     403     403     403     403     403     403     403     403     403     403     200
procurement:unit_new                  POST    login   403     403     403     403     403     403     403     403     403     403     403     200*
procurement:unit                      GET     login   404     404     200     200     404     403     403     403     403     200     404     200
procurement:invite_new                POST    login   404     404     200*    302     404     403     403     403     403     403     403     200*
procurement:invite_withdraw           POST    login   404     404     302*    302     404     403     403     403     403     403     403     302*
procurement:member_remove             GET     login   404     404     200     302     404     403     403     403     403     403     403     200
procurement:member_remove             POST    login   404     404     302*    302     404     403     403     403     403     403     403     302*
procurement:budget_set                POST    login   404     404     302*    302     404     403     403     403     403     403     403     302*
# whether a unit may pay on account: staff decide (an official of its county: 403)
procurement:terms_set                 POST    login   403     403     403     403     403     403     403     403     403     403     403     302*
# the unit's checkout: a buyer in no unit is told so; an empty cart goes back to it
procurement:checkout                  GET     login   200     200     302     200     302     403     403     403     403     403     403     403
procurement:checkout                  POST    login   200     200     302     302*    302     403     403     403     403     403     403     403
# bank transfers awaited: staff record them
procurement:transfers                 GET     login   403     403     403     403     403     403     403     403     403     403     403     200
procurement:transfer_receive          GET     login   403     403     403     403     403     403     403     403     403     403     403     200
procurement:transfer_receive          POST    login   403     403     403     403     403     403     403     403     403     403     403     302*
# refunds of bank transfers staff send back to the unit (U1's refused bag)
procurement:transfer_refunds          GET     login   403     403     403     403     403     403     403     403     403     403     403     200
procurement:transfer_refund_send      GET     login   403     403     403     403     403     403     403     403     403     403     403     200
procurement:transfer_refund_send      POST    login   403     403     403     403     403     403     403     403     403     403     403     302*
# accepting a unit order's goods: the unit's members decide once its goods shipped
# (the world's is awaiting its transfer: the page says so, and a POST changes nothing)
procurement:accept                    GET     login   404     404     200     200     404     403     403     403     403     200     404     200
procurement:accept                    POST    login   404     404     200     200     404     403     403     403     403     200     404     200
# an open invitation's link: anyone reads it; a signed-in buyer in no unit joins
# (anyone else is refused with a message, and nothing is written)
# after delivery (U1's earlier order, accepted, F1's invoice uploaded): the unit's
# members rate the supplier once; the seller side (F1, A, staff) uploads the
# invoice; the invoice and the platform's receipt are read by the unit's members,
# the seller side, officials of the county and staff
procurement:rate                      POST    login   404     404     302*    302*    404     403     403     403     403     403     403     403
procurement:supplied                  GET     login   403     403     403     403     403     200     200     200     200     403     403     403
procurement:invoice_upload            GET     login   403     403     403     403     403     200     404     200     404     403     403     200
procurement:invoice_upload            POST    login   403     403     403     403     403     302*    404     302*    404     403     403     302*
procurement:invoice                   GET     login   404     404     200     200     404     200     404     200     404     200     404     200
procurement:receipt                   GET     login   404     404     200     200     404     200     404     200     404     200     404     200
procurement:join                      GET     200     200     200     200     200     200     200     200     200     200     200     200     200
procurement:join                      POST    200     302*    302*    302     302     302     302     302     302     302     302     302     302
# a unit's staff link: its admins make it (shown once); any buyer opening it shops
# as the unit's staff (U2's admin is refused: they belong to another unit)
procurement:staff_link_make           POST    login   404     404     200*    302     404     403     403     403     403     403     403     200*
procurement:staff_join                GET     200     200     200     200     200     200     200     200     200     200     200     200     200
procurement:staff_join                POST    200     302*    302*    302*    302*    302     302     302     302     302     302     302     302

# The audit trail
audit:events                          GET     login   403     403     403     403     403     403     403     403     403     200     200     200

# API (session or token); anonymous callers get 403
farmer-list                           GET     403     403     403     403     403     403     200     200     200     200     200     200     200
farmer-detail                         GET     403     403     403     403     403     403     200     404     200     404     200     404     200
household-list                        GET     403     403     403     403     403     403     200     200     200     200     200     200     200
household-detail                      GET     403     403     403     403     403     403     200     404     200     404     200     404     200
catalogue-category-list               GET     200     200     200     200     200     200     200     200     200     200     200     200     200
catalogue-category-detail             GET     200     200     200     200     200     200     200     200     200     200     200     200     200
catalogue-product-list                GET     200     200     200     200     200     200     200     200     200     200     200     200     200
catalogue-product-detail              GET     200     200     200     200     200     200     200     200     200     200     200     200     200
storefront-list                       GET     200     200     200     200     200     200     200     200     200     200     200     200     200
storefront-detail                     GET     200     200     200     200     200     200     200     200     200     200     200     200     200
listing-list                          GET     403     403     403     403     403     403     200     200     200     200     200     200     200
listing-list                          POST    403     403     403     403     403     403     201*    400     201*    400     403     403     403
listing-to-review                     GET     403     403     403     403     403     403     403     403     200     200     403     403     200
listing-detail                        GET     403     403     403     403     403     403     200     404     200     404     200     404     200
# staff review and read listings in the API, but do not edit them (the pages let them)
listing-detail                        PATCH   403     403     403     403     403     403     200*    404     200*    404     403     403     403
listing-add-image                     POST    403     403     403     403     403     403     201*    404     201*    404     403     403     403
listing-approve                       POST    403     403     403     403     403     403     403     403     200*    404     403     403     200*
listing-archive                       POST    403     403     403     403     403     403     200*    404     200*    404     403     403     403
listing-reject                        POST    403     403     403     403     403     403     403     403     200*    404     403     403     200*
listing-restore                       POST    403     403     403     403     403     403     409     404     409     404     403     403     403
listing-submit                        POST    403     403     403     403     403     403     409     404     409     404     403     403     403
assignment-list                       GET     403     403     403     403     403     403     200     200     200     200     200     200     200
assignment-detail                     GET     403     403     403     403     403     403     200     404     200     404     200     404     200
training-list                         GET     403     403     403     403     403     403     200     200     200     200     200     200     200
training-list                         POST    403     403     403     403     403     403     403     403     201*    400     403     403     403
training-detail                       GET     403     403     403     403     403     403     404     404     200     404     200     404     200
training-attendance                   PUT     403     403     403     403     403     403     403     403     200*    404     403     403     403
visit-list                            GET     403     403     403     403     403     403     200     200     200     200     200     200     200
visit-list                            POST    403     403     403     403     403     403     403     403     201*    400     403     403     403
visit-detail                          GET     403     403     403     403     403     403     200     404     200     404     200     404     200
survey-list                           GET     403     403     403     403     403     403     200     200     200     200     200     200     200
survey-list                           POST    403     403     403     403     403     403     403     403     201*    400     403     403     403
survey-detail                         GET     403     403     403     403     403     403     200     404     200     404     200     404     200
survey-detail                         PUT     403     403     403     403     403     403     403     403     400     404     403     403     403
survey-detail                         PATCH   403     403     403     403     403     403     403     403     200     404     403     403     403
# A buyer's own cart, addresses and checkout (B1's address named by B2: 404)
cart-list                             GET     403     200     200     200     200     200     403     403     403     403     403     403     403
cart-list                             POST    403     201*    201*    201*    201*    201*    403     403     403     403     403     403     403
# a buyer with no cart yet gets one made (empty) before the refusal; U1's buyer
# has one, with F2's listing in it
cart-detail                           PATCH   403     200*    400     400*    200*    400*    403     403     403     403     403     403     403
cart-detail                           DELETE  403     204*    204*    204*    204*    204*    403     403     403     403     403     403     403
address-list                          GET     403     200     200     200     200     200     403     403     403     403     403     403     403
address-list                          POST    403     201*    201*    201*    201*    201*    403     403     403     403     403     403     403
address-detail                        DELETE  403     204*    404     404     404     404     403     403     403     403     403     403     403
checkout-list                         POST    403     201*    404     404     404     404     403     403     403     403     403     403     403
order-list                            GET     403     200     200     200     200     200     200     200     200     200     200     200     200
order-detail                          GET     403     200     404     404     404     404     200     404     200     404     200     404     200
# 403: in scope but not a party the action is for; 409: not in this status
order-cancel                          POST    403     200*    404     404     404     404     200*    404     403     404     403     404     200*
order-complete                        POST    403     409     404     404     404     404     403     404     403     404     403     404     409
order-deliver                         POST    403     403     404     404     404     404     409     404     403     404     403     404     409
order-refund                          POST    403     403     404     404     404     404     403     404     403     404     403     404     200*
order-ship                            POST    403     403     404     404     404     404     200*    404     403     404     403     404     200*

# Reports API
api-county-sales                      GET     403     403     403     403     403     403     403     403     403     403     200     404     200
api-income-impact                     GET     403     403     403     403     403     403     403     403     403     403     200     404     200
api-targeting-quality                 GET     403     403     403     403     403     403     403     403     403     403     200     404     200
api-assistant-performance             GET     403     403     403     403     403     403     403     403     403     403     200     404     200
api-training-effect                   GET     403     403     403     403     403     403     403     403     403     403     200     404     200
api-unit-purchases                    GET     403     403     403     200     403     404     403     403     403     403     200     404     200
api-county-unit-purchases             GET     403     403     403     403     403     403     403     403     403     403     200     404     200

# The API's token door, schema and docs: open to anyone
api-token                             POST    400     400     400     400     400     400     400     400     400     400     400     400     400
api-token-code                        POST    400     400     400     400     400     400     400     400     400     400     400     400     400
earnings-list                         GET     403     403     403     403     403     403     200     200     200     200     403     403     200
earnings-detail                       GET     403     403     403     403     403     403     200     404     200     404     403     403     200
earnings-entries                      GET     403     403     403     403     403     403     200     404     200     404     403     403     200
earnings-payouts                      GET     403     403     403     403     403     403     200     404     200     404     403     403     200
api-schema                            GET     200     200     200     200     200     200     200     200     200     200     200     200     200
api-docs                              GET     200     200     200     200     200     200     200     200     200     200     200     200     200
"""

REFUSED = frozenset({"login", "signup", "401", "403", "404", "405"})


def parse(text: str = TABLE) -> tuple[tuple[str, ...], dict]:
    """The columns, and (row, method) → the expected cell of each column."""
    lines = [line.split() for line in text.splitlines()]
    lines = [words for words in lines if words and not words[0].startswith("#")]
    header, *rows = lines
    columns = tuple(header[3:])  # after "URL name method"
    cells = {}
    for row, method, *outcomes in rows:
        assert len(outcomes) == len(columns), f"{row} {method}: {len(outcomes)} cells"
        assert (row, method) not in cells, f"{row} {method} twice"
        cells[row, method] = tuple(outcomes)
    return columns, cells


def url_name(row: str) -> tuple[str, str | None]:
    """ "orders:act[refund]" → ("orders:act", "refund")."""
    name, _, variant = row.partition("[")
    return name, variant.rstrip("]") or None
