"""Demo data for flagdesk: four invented seller accounts and their notices.

Pure data, standard library only. Deterministic: every value is a literal and
no date is computed here. `hours_ago` is relative to the console's clock (set
`FLAGDESK_NOW` to freeze it); deadlines in the texts are written the way Amazon
writes them ("within 72 hours", "within 17 days", "beginning 7 days from today",
or an explicit calendar date). Names, addresses, IDs, ASINs, rights owners and
brands are invented; e-mail addresses use example.com domains.
"""

ACCOUNTS = [
    {
        "name": "Northwind Home",
        "seller_id": "A1NWH7Q2ZK3M8P",
        "marketplaces": ["US", "CA"],
        "emails": ["notices+northwind@ops.example.com"],
    },
    {
        "name": "Brightwater Goods EU",
        "seller_id": "A2BWG9X4LT6RNE",
        "marketplaces": ["UK", "DE", "FR", "IT", "ES"],
        "emails": ["notices+brightwater@ops.example.com", "eu-ops@brightwater.example.com"],
    },
    {
        "name": "Copperleaf Kitchen",
        "seller_id": "A3CPK5M1VQ8YJD",
        "marketplaces": ["US"],
        "emails": ["notices+copperleaf@ops.example.com", "notices@copperleaf.example.com"],
    },
    {
        "name": "Alto Mesa Supply",
        "seller_id": "A1AMS8R3HW0ZTC",
        "marketplaces": ["US", "MX"],
        "emails": ["notices+altomesa@ops.example.com"],
    },
]

# Each entry's comment: intended category, severity, and the deadline situation.
NOTICES = [
    # ------------------------------------------------------------------ Northwind Home
    # account at risk (72 h), critical; received 60.5 h ago -> due in about 11.5 h
    {
        "account": "Northwind Home",
        "marketplace": "US",
        "hours_ago": 60.5,
        "status": "new",
        "assignee": None,
        "text": """Subject: Your Amazon.com selling account is at risk of deactivation

Hello,

We have received customer complaints that items in your inventory are inauthentic. Because of this, your account is at risk of being deactivated. To keep selling on Amazon.com, you must send us an appeal within 72 hours.

Why is this happening?
Customers reported that the items below were not genuine. Selling inauthentic products is prohibited by our Anti-Counterfeiting Policy.

How do I send the required information?
Go to Account Health, select the notification and click Appeal. Include invoices or letters of authorization from your supplier dated within the last 365 days, and a plan of action that explains the root cause, the actions you have taken and the steps that will prevent this in the future.

What happens if I do not send the required information?
If you do not appeal within 72 hours, your account may be deactivated and your funds may be held.

ASIN: B0C7K2M9QX
Title: Northwind Linen Blend Throw Pillow Covers, 18 x 18 in, Set of 4, Sage
Complaint ID: 7731904482

ASIN: B0D3HT58WN
Title: Northwind Bamboo Bath Mat, Non-Slip, 24 x 17 in
Complaint ID: 7731904519

Sincerely,
Seller Performance Team
Amazon.com""",
    },
    # received IP complaint: trademark, high
    {
        "account": "Northwind Home",
        "marketplace": "US",
        "hours_ago": 5.5,
        "status": "new",
        "assignee": None,
        "text": """Subject: Notice: Policy Warning - Intellectual Property Complaint (Trademark)

Hello,

We removed some of your listings because we received a report from a rights owner that they infringe the rights owner's trademark.

Rights owner: Lumena Brands LLC
Rights owner email: legal@lumena-brands.example.com
Infringement type: Trademark
Trademark number: 6124587

Why is this happening?
The brand name "Lumena" appears in the title and bullet points of the listing below without the rights owner's permission.

How do I reactivate my listing?
If you believe this complaint was made in error, contact the rights owner and ask for a retraction, or submit an appeal with a letter of authorization or invoices showing the products are genuine. Go to Account Health > Received Intellectual Property Complaints to respond.

What happens if I do not respond?
Further complaints may lead to the loss of your selling privileges.

ASIN: B0BQ4V7ZRE
Title: Lumena-Style LED Candle Set, Flameless, Warm White, 6 Pack
SKU: NW-CNDL-6PK-WW
Complaint ID: 8820145736

Sincerely,
Seller Performance Team""",
    },
    # late shipment rate, high
    {
        "account": "Northwind Home",
        "marketplace": "CA",
        "hours_ago": 30.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Action required: Your late shipment rate on Amazon.ca is above target

Dear Seller,

Your late shipment rate for seller-fulfilled orders on Amazon.ca is 6.8% over the last 30 days. Our target for this metric is under 4%.

Why is this happening?
Orders are counted as late when the shipment confirmation is made after the expected ship date. Late confirmations make it harder for customers to track their orders and lead to contacts and negative feedback.

What should I do?
Review the orders below, check that the handling time in Shipping Settings matches what your warehouse can meet, and confirm shipment on the same day the package leaves your facility. A continued rate above 4% may result in the deactivation of your selling privileges.

Order ID: 702-4418273-3350611
Order ID: 701-9028845-7712039
Order ID: 702-1187430-5596218
Order ID: 701-6640912-2281475

Thank you for selling on Amazon,
Seller Performance Team
Amazon.ca""",
    },
    # Account Health Rating red, critical; "beginning 7 days from today"
    {
        "account": "Northwind Home",
        "marketplace": "US",
        "hours_ago": 20.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Action required: Your Account Health Rating is now red

Hello,

Your Account Health Rating (AHR) has dropped to 84 and is now red. A rating below 100 means your account is eligible for deactivation. Your account may be deactivated beginning 7 days from today unless your rating improves.

Why is this happening?
Your rating reflects open policy violations on your account. The following have not been addressed:
- Suspected Intellectual Property Violations: 1
- Product Authenticity Customer Complaints: 2
- Received Intellectual Property Complaints: 1

How do I improve my Account Health Rating?
Go to the Account Health page in Seller Central, open each violation marked "Action required" and submit a plan of action or the requested information. Violations that are resolved or successfully appealed no longer count against your rating.

You can track your rating on the Account Health dashboard. For more information, search for "Account Health Rating program policy" in Seller Central Help.

Sincerely,
Account Health Team
Amazon Services""",
    },
    # informational: policy update announcement, low
    {
        "account": "Northwind Home",
        "marketplace": "US",
        "hours_ago": 2.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Policy update: changes to returns for seller-fulfilled orders on Amazon.com

Hello,

We are writing to tell you about an upcoming change to the returns policy for seller-fulfilled orders on Amazon.com. No action is required from you at this time.

What is changing?
Starting March 1, 2027, prepaid return labels will be issued automatically for eligible return requests in the Home & Kitchen and Furniture categories when the request is made within the return window. You will still be able to authorize other returns manually.

Do I need to do anything?
No action required. If you already use Prepaid Return Labels, your settings will stay as they are. You can review your settings at any time under Settings > Return Settings.

For details, search for "Seller Fulfilled Returns" in Seller Central Help.

Thank you for selling on Amazon,
Amazon Selling Partner Support""",
    },
    # product authenticity (forwarded), high; "within 5 days", received 6+ days ago -> overdue
    {
        "account": "Northwind Home",
        "marketplace": "US",
        "hours_ago": 150.0,
        "status": "in_progress",
        "assignee": "maria",
        "text": """Subject: Fwd: Product Authenticity Customer Complaints - documents requested

Maria - can you pull the Hollins Textile invoices for this one? They want them within 5 days.
Tom

---------- Forwarded message ---------
From: Seller Performance <seller-performance@amazon.com>
To: notices+northwind@ops.example.com
Subject: Product Authenticity Customer Complaints - documents requested

Hello,

We received customer complaints about the authenticity of the item listed below. We have removed the listing.

How do I send the required information?
Send invoices or receipts from your supplier, issued within the last 365 days, that show the purchase of at least the units you sold in that period. Include your supplier's name, address, phone number and website. Prices may be hidden, but quantities must be visible.

When do I need to respond?
Please send the information within 5 days. If we do not receive it, the listing will remain removed and your account may be reviewed.

ASIN: B0CM8RZ4TA
Title: Egyptian Cotton Bath Towel Set, 600 GSM, 6 Piece, Ivory
Complaint ID: 5502917734

Sincerely,
Seller Performance Team""",
    },
    # order defect rate, high
    {
        "account": "Northwind Home",
        "marketplace": "US",
        "hours_ago": 96.0,
        "status": "read",
        "assignee": None,
        "text": """Subject: Your order defect rate is above our target

Hello,

Your Order Defect Rate (ODR) for seller-fulfilled orders on Amazon.com is 1.42%, based on the 60-day period ending yesterday. Our policy requires sellers to maintain an ODR under 1% to sell on Amazon.

Why is this happening?
The ODR includes negative feedback, A-to-z Guarantee claims and chargeback claims. In this period, 14 of your 986 orders had a defect.

How do I fix this?
Review the orders below and look for common causes, such as items damaged in transit or items that do not match the detail page. Offering refunds in exchange for the removal of feedback is not allowed.

If your ODR stays above 1%, your account may be deactivated.

Order ID: 113-5520894-2017436 (A-to-z Guarantee claim)
Order ID: 111-3082615-7749203 (negative feedback)
Order ID: 114-8890372-1126548 (negative feedback)
Order ID: 112-0457731-6634810 (chargeback claim)

Seller Performance Team""",
    },
    # listing suppression, medium
    {
        "account": "Northwind Home",
        "marketplace": "CA",
        "hours_ago": 48.0,
        "status": "read",
        "assignee": None,
        "text": """Subject: Some of your listings on Amazon.ca have been suppressed

Dear Seller,

Some of your listings have been suppressed from search and browse because they are missing required information. Suppressed listings are not visible to customers and cannot be purchased.

Why is this happening?
The main image of the listings below does not meet our image requirements (pure white background, product filling 85% of the frame), and the item weight attribute is missing.

How do I fix my listings?
Go to Inventory > Manage All Inventory, filter by "Search Suppressed" and use the Fix Listing link to add the missing information. The listing is usually visible again the day after a valid update. No appeal is needed.

ASIN: B0B9XG2LMD
Title: Northwind Ceramic Table Lamp with Linen Shade, 22 in
SKU: NW-LAMP-CER-22

ASIN: B0CJP61WSF
Title: Northwind Woven Storage Baskets, Set of 3, Natural
SKU: NW-BSKT-3-NAT

Regards,
Amazon.ca Seller Performance""",
    },
    # customer reviews policy, high
    {
        "account": "Northwind Home",
        "marketplace": "US",
        "hours_ago": 300.0,
        "status": "appealed",
        "assignee": "dev",
        "text": """Subject: Customer Reviews policy violation - action required

Hello,

We have found that your account is attempting to manipulate customer reviews, which violates our Customer Reviews policy. Product inserts included with your orders offer a gift card in exchange for a "5-star review".

Why is this happening?
Offering money, free products or refunds in exchange for reviews, or asking only for positive reviews, is prohibited.

What actions have we taken?
We have removed the reviews on the listing below and disabled new reviews for this ASIN.

How do I appeal?
Submit a plan of action that explains the root cause of the violation, the actions you have taken to correct it and the steps you will take to prevent it from happening again. Violating the Customer Reviews policy again may result in the permanent removal of your selling privileges.

ASIN: B0D1FY7KQH
Title: Northwind Memory Foam Kitchen Mat, 17 x 30 in, Charcoal
SKU: NW-KMAT-1730-CH

Sincerely,
Community Trust Team""",
    },
    # account security, medium
    {
        "account": "Northwind Home",
        "marketplace": "US",
        "hours_ago": 26.0,
        "status": "read",
        "assignee": None,
        "text": """Subject: Security alert: new sign-in to your Seller Central account

Hello,

We detected a sign-in to your Seller Central account from a device and location we have not seen before.

Device: Chrome on Windows
Location: near Lisbon, Portugal
User: ops-night@ops.example.com

Why is this happening?
We send this notice to help protect your account. If you or a user you have granted access recognize this sign-in, no action is required.

What should I do if I don't recognize this activity?
Change your password immediately, review the users listed under Settings > User Permissions and make sure Two-Step Verification is turned on for every user. Also check that your deposit method and contact email address have not been changed. If you see changes you did not make, contact Seller Support right away.

Amazon will never ask for your password by email or phone.

Sincerely,
Amazon Account Security""",
    },
    # valid tracking rate, high
    {
        "account": "Northwind Home",
        "marketplace": "US",
        "hours_ago": 400.0,
        "status": "resolved",
        "assignee": None,
        "text": """Subject: Valid Tracking Rate below target - Home & Kitchen

Hello,

Your Valid Tracking Rate (VTR) for seller-fulfilled packages in the Home & Kitchen category is 91.3% for the last 30 days. Our target is above 95%.

Why is this happening?
A tracking ID is valid when the carrier has scanned it. Packages were confirmed with tracking numbers that have no carrier scan, or with a carrier name that does not match the tracking ID.

What happens if I do not improve?
If your VTR stays below 95% in a category, you may lose the ability to sell non-Amazon-fulfilled items in that category.

Order ID: 112-6603184-9921057
Order ID: 113-2275940-4408163
Order ID: 111-7719028-3360572

For help, search for "Valid Tracking Rate" in Seller Central Help.

Seller Performance Team""",
    },
    # restricted products, high; "within 17 days"
    {
        "account": "Northwind Home",
        "marketplace": "CA",
        "hours_ago": 500.0,
        "status": "resolved",
        "assignee": "dev",
        "text": """Subject: Restricted Products Policy Violation on Amazon.ca

Dear Seller,

We removed your listing because it does not comply with our Restricted Products policy. The item below makes pesticidal claims ("kills 99.9% of germs", "antimicrobial") that require registration with Health Canada.

How do I reactivate my listing?
Send us the PMRA registration number for the product, or edit the listing to remove the pesticidal claims. Upload documents through Account Health > Restricted Products Policy Violations > Appeal.

What happens if I do not send the required information?
If we do not receive it within 17 days, the listing will remain inactive and the violation will count toward your Account Health Rating.

ASIN: B0BT3NV8CZ
Title: Northwind Antimicrobial Shower Curtain Liner, 72 x 72 in
SKU: NW-SCL-7272-AM

Thank you,
Amazon.ca Product Compliance Team""",
    },
    # informational: complaint retracted, no action required, low
    {
        "account": "Northwind Home",
        "marketplace": "US",
        "hours_ago": 700.0,
        "status": "dismissed",
        "assignee": None,
        "text": """Subject: Intellectual property complaint retracted - no action required

Hello,

This is to let you know that the rights owner has retracted the complaint listed below. We have reinstated the listing, and the complaint no longer affects your Account Health Rating.

No action is required from you.

It may take up to 48 hours for the listing to appear in search results again. If the listing is not active after 48 hours, go to Inventory > Manage All Inventory and check that the offer has a quantity and a price.

ASIN: B0AX7C3PLU
Title: Northwind Stoneware Dinner Plates, 10.5 in, Set of 6, Speckled White
Complaint ID: 6093318240

Thank you for selling on Amazon,
Seller Performance Team""",
    },
    # ------------------------------------------------------------------ Brightwater Goods EU
    # account deactivated, critical
    {
        "account": "Brightwater Goods EU",
        "marketplace": "UK",
        "hours_ago": 130.0,
        "status": "appealed",
        "assignee": "maria",
        "text": """Subject: Your Amazon.co.uk selling privileges have been deactivated

Dear Seller,

We have deactivated your Amazon.co.uk selling account and placed a hold on the funds in your account. Your listings are no longer available.

Why is this happening?
We did not receive an acceptable plan of action in response to our earlier notice about product authenticity complaints. Your account remains out of compliance with our Anti-Counterfeiting Policy.

How do I reactivate my account?
Send an appeal through Account Health with a plan of action that includes:
- the root cause(s) of the complaints;
- the actions you have taken to resolve them;
- the steps you will take to prevent similar issues.
Attach invoices from your suppliers dated within the last 365 days for every ASIN below.

What happens to my funds?
Funds will remain on hold while your account is deactivated. If your account is not reinstated, you may request a disbursement 90 days after deactivation.

ASIN: B0C5RW1H7J
Title: Brightwater Stainless Steel Water Bottle, 750 ml, Matte Black
Complaint ID: 4418760923

ASIN: B0D8NQ3XTB
Title: Brightwater Insulated Lunch Box, 1.2 L, Slate
Complaint ID: 4418761057

Regards,
Seller Performance Team
Amazon.co.uk""",
    },
    # received IP complaint: patent, high
    {
        "account": "Brightwater Goods EU",
        "marketplace": "DE",
        "hours_ago": 9.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Notice: Received Intellectual Property Complaint (Patent) - Amazon.de

Hello,

We received a report from a rights owner that the item below infringes their patent. We have removed the listing from Amazon.de.

Rights owner: Keller & Vogt Haushaltstechnik GmbH
Rights owner contact: ip@kellervogt.example.com
Infringement type: Patent
Patent number: EP 3412905 B1

Why is this happening?
The rights owner states that the locking lid mechanism of the product below is covered by the patent listed above.

How do I reactivate my listing?
If you believe this report is inaccurate, you may ask the rights owner to retract the complaint, or provide a court order or a non-infringement opinion from a patent attorney. Go to Account Health > Received Intellectual Property Complaints and click Appeal.

ASIN: B0CZ4PK8MV
Title: Brightwater Frischhaltedosen aus Glas mit Klickverschluss, 6er-Set, für die Küche
SKU: BW-DE-GLAS-6
Complaint ID: 9012475386

Sincerely,
Seller Performance Team
Amazon.de""",
    },
    # account at risk (72 h), critical, forwarded; received 5 days ago -> overdue, still unread
    {
        "account": "Brightwater Goods EU",
        "marketplace": "UK",
        "hours_ago": 120.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Fwd: Action required: Your Amazon.co.uk account is at risk of deactivation

Forwarding from the shared inbox - it landed in spam on Friday night. Who owns UK this week?

---------- Forwarded message ---------
From: seller-performance@amazon.co.uk
To: eu-ops@brightwater.example.com
Subject: Action required: Your Amazon.co.uk account is at risk of deactivation

Dear Seller,

Your account is at risk of being deactivated. We have found that your account may be related to another selling account that was deactivated. Sellers may operate more than one account only with a legitimate business need.

How do I send the required information?
Within 72 hours, go to Account Health and use the Appeal button to explain the relationship between your account and the account below, and provide a recent utility bill and bank statement for your business.

Related account: seller ID A3RV0LJ9F2KX6T

What happens if I do not send the required information?
If we do not receive the information within 72 hours, your account may be deactivated, your listings removed and your funds held.

Regards,
Seller Performance Team""",
    },
    # food and product safety (GPSR), high; explicit date
    {
        "account": "Brightwater Goods EU",
        "marketplace": "FR",
        "hours_ago": 14.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Product safety: documents required for listings on Amazon.fr

Hello,

We have received information that the products below may not comply with EU product safety requirements (General Product Safety Regulation (EU) 2023/988). We have removed these listings from Amazon.fr as a precaution.

Why is this happening?
The listings do not show the name and address of the manufacturer or of a responsible person in the EU, and no safety information is provided in French.

How do I send the required information?
Upload the following through Account Health > Food and Product Safety Issues:
- the EU Declaration of Conformity for each product;
- test reports from an accredited laboratory (food contact materials, EN 1186);
- photos of the product labels showing the responsible person.

What happens if I do not send the required information?
If we do not receive the documents by January 15, 2027, the listings will stay removed and further action may be taken on your account.

ASIN: B0CKW7E2RP
Title: Brightwater Théière en verre avec infuseur, 1 L
SKU: BW-FR-TEA-1L

ASIN: B0D2LA9FHU
Title: Brightwater Gourde isotherme enfant, 350 ml
SKU: BW-FR-KID-350

Sincerely,
Product Safety Team""",
    },
    # pre-fulfilment cancel rate, high
    {
        "account": "Brightwater Goods EU",
        "marketplace": "IT",
        "hours_ago": 22.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Your pre-fulfilment cancel rate on Amazon.it is above target

Dear Seller,

Your pre-fulfilment cancel rate on Amazon.it is 3.9% over the last 7 days. Our target is under 2.5%.

Why is this happening?
The pre-fulfilment cancel rate is the percentage of seller-fulfilled orders that you cancelled before confirming shipment. Cancellations are usually caused by inaccurate inventory levels.

What can I do?
Keep your inventory in sync across all sales channels, and if you sell the same stock elsewhere, consider listing a lower quantity on Amazon. Cancellations requested by the buyer through "Request cancellation" are not counted.

If your cancel rate remains above 2.5%, your selling privileges on Amazon.it may be deactivated.

Order ID: 403-7720518-3348216
Order ID: 405-1196642-9057723
Order ID: 402-5508319-6623190

Regards,
Seller Performance Team
Amazon.it""",
    },
    # policy warning, low/medium (no action taken)
    {
        "account": "Brightwater Goods EU",
        "marketplace": "ES",
        "hours_ago": 3.2,
        "status": "new",
        "assignee": None,
        "text": """Subject: Policy warning: Amazon.es product detail page rules

Dear Seller,

This is a warning. We found that one of your listings on Amazon.es does not follow our policies. No action has been taken on your account at this time.

Why is this happening?
The title of the listing below includes promotional text ("OFERTA", "Envío gratis"), which is not allowed in product titles.

What should I do?
Please edit the listing to remove the promotional text and review the rest of your catalogue for similar issues. Repeated violations may lead to the removal of listings or the loss of your selling privileges.

You don't need to reply to this message.

ASIN: B0BHM5S3YC
Title: Brightwater Botella de Agua Térmica 500 ml OFERTA Envío gratis
SKU: BW-ES-BOT-500

Regards,
Seller Performance Team
Amazon.es""",
    },
    # listing policy (variation abuse), medium
    {
        "account": "Brightwater Goods EU",
        "marketplace": "DE",
        "hours_ago": 70.0,
        "status": "read",
        "assignee": None,
        "text": """Subject: Listing policy violation on Amazon.de - variation policy

Hello,

We have found that some of your listings on Amazon.de violate our variation policy. Only products that are the same item, differing in size, colour or scent, may be grouped in one variation family.

Why is this happening?
The variation family below groups different products (a kitchen scale, a measuring jug and a timer) under one parent ASIN, which combines their customer reviews and misleads customers.

What actions have we taken?
We have broken up the variation family. The child ASINs remain active as standalone listings.

What should I do?
Do not re-create the variation. Further violations of the listing policy may result in the removal of your listings or your selling privileges.

ASIN: B0C1UD6ZNE
Title: Brightwater Digitale Küchenwaage aus Edelstahl, 5 kg, Grau
SKU: BW-DE-WAAGE-5

ASIN: B0C1UD8QKA
Title: Brightwater Messbecher, 1 l, hitzebeständiges Glas
SKU: BW-DE-MESS-1L

Sincerely,
Seller Performance Team""",
    },
    # suspected IP violation, high
    {
        "account": "Brightwater Goods EU",
        "marketplace": "UK",
        "hours_ago": 45.0,
        "status": "in_progress",
        "assignee": "jonas",
        "text": """Subject: Suspected Intellectual Property Violation - Amazon.co.uk

Hello,

Our automated systems found that a listing in your inventory may infringe the intellectual property of a brand. We have removed the listing as a precaution. This was not triggered by a complaint from a rights owner.

Why is this happening?
An image on the listing below shows a logo that closely resembles a registered brand, and that brand name appears in the search terms.

How do I reactivate my listing?
If you believe the listing does not infringe, choose Appeal in Account Health and provide one of: invoices from the last 365 days, a letter of authorisation from the brand owner, or evidence that you own the trademark. You can also edit the listing to remove the logo and the brand references.

ASIN: B0D4EV2GWS
Title: Brightwater Reusable Coffee Cup, 12 oz, Bamboo Fibre
SKU: BW-UK-CUP-12
Reason: Suspected trademark use in image

Thank you,
Seller Performance Team""",
    },
    # product condition complaint, medium
    {
        "account": "Brightwater Goods EU",
        "marketplace": "DE",
        "hours_ago": 200.0,
        "status": "read",
        "assignee": None,
        "text": """Subject: Product Condition Customer Complaints - Amazon.de

Dear Seller,

We have received customer complaints that items sold as "New" on Amazon.de arrived used, damaged or with opened packaging. Our Condition Guidelines require an item listed as New to be brand new, unused and in its original packaging.

Why is this happening?
In the last 30 days, 4 customers reported used or damaged items for the ASIN below.

What should I do?
Inspect your stock for this ASIN and remove any units that are not in new condition. Check whether customer returns are being restocked as New. Units in used condition should be listed as "Used" with an accurate condition note.

What happens if complaints continue?
If we continue to receive complaints, we may remove the listing or deactivate your account.

ASIN: B0BZ9HF4RD
Title: Brightwater Wasserkocher Glas 1,7 l mit LED-Beleuchtung
Complaint ID: 3356092174
Order ID: 304-8812457-2270918

Regards,
Seller Performance Team
Amazon.de""",
    },
    # listing removal (potential pricing error), medium
    {
        "account": "Brightwater Goods EU",
        "marketplace": "FR",
        "hours_ago": 90.0,
        "status": "resolved",
        "assignee": None,
        "text": """Subject: Your listing on Amazon.fr has been deactivated - potential pricing error

Hello,

We have deactivated the offer below on Amazon.fr because its price is significantly higher than recent prices offered on or off Amazon, which may indicate a pricing error.

Price entered: 249,00 EUR
Reference price: 34,90 EUR

How do I reactivate my listing?
If the price is correct, reactivate the listing from Manage Pricing by confirming the price. If it was a mistake, correct the price; the listing will be reactivated automatically within a few hours.

To avoid this in the future, you can set a minimum and a maximum price for each SKU.

ASIN: B0C6TJ3WYL
Title: Brightwater Carafe filtrante en verre, 1,5 L
SKU: BW-FR-CARAF-15

Thank you for selling on Amazon,
Amazon.fr Seller Performance""",
    },
    # account security, medium
    {
        "account": "Brightwater Goods EU",
        "marketplace": "UK",
        "hours_ago": 260.0,
        "status": "resolved",
        "assignee": "jonas",
        "text": """Subject: Your Seller Central Two-Step Verification settings were changed

Dear Seller,

The Two-Step Verification settings for your Amazon.co.uk Seller Central account were changed. The phone number that receives verification codes was replaced.

New phone: ending in 47
Changed by: primary user

If you made this change, no further action is required.

If you did not make this change:
1. Reset your password from the Seller Central sign-in page.
2. Review Settings > Login Settings and User Permissions, and remove any users you do not recognise.
3. Check that your bank account and deposit method have not been changed.
4. Contact Seller Support through Help > Contact Us and mark the case as urgent.

For your security, disbursements are on a temporary 3-day hold while the change is verified.

Regards,
Amazon Account Security""",
    },
    # valid tracking rate, high
    {
        "account": "Brightwater Goods EU",
        "marketplace": "IT",
        "hours_ago": 330.0,
        "status": "read",
        "assignee": None,
        "text": """Subject: Valid tracking rate below target on Amazon.it

Hello,

Your valid tracking rate (VTR) on Amazon.it is 88.4% for the last 30 days. Our target is above 95% for all seller-fulfilled shipments.

Why is this happening?
Several shipments were confirmed without a tracking number, or with the carrier set to "Other" so that the tracking number cannot be verified. Untracked letter-post shipments count as invalid.

What should I do?
Use a carrier integrated with Amazon and enter the tracking ID when you confirm shipment. If your VTR remains below 95%, we may restrict your ability to sell seller-fulfilled items in the affected categories.

Order ID: 406-2281943-5510678
Order ID: 404-9934017-1188342
Order ID: 407-3306729-8841205

Sincerely,
Seller Performance Team
Amazon.it""",
    },
    # other policy violations (off-Amazon messaging), high; "within 17 days"
    {
        "account": "Brightwater Goods EU",
        "marketplace": "ES",
        "hours_ago": 400.0,
        "status": "appealed",
        "assignee": "jonas",
        "text": """Subject: Other policy violation: buyer-seller messaging on Amazon.es

Dear Seller,

We found that your account has sent messages to customers that violate our Communication Guidelines. The messages contained links to an external website and a discount code for purchases outside Amazon.

Why is this happening?
Sellers may not direct customers away from Amazon, include external links that are not required to fulfil the order, or send marketing messages through Buyer-Seller Messaging.

What actions have we taken?
We have suspended your ability to send proactive messages through Buyer-Seller Messaging for 30 days.

How do I appeal?
Within 17 days, submit a plan of action through Account Health explaining the root cause, the corrective actions and the steps that prevent it happening again (for example, reviewing message templates before use).

Order ID: 405-6617092-4423581
Order ID: 402-0039145-7766320

Regards,
Seller Performance Team
Amazon.es""",
    },
    # received IP complaint: copyright, high
    {
        "account": "Brightwater Goods EU",
        "marketplace": "UK",
        "hours_ago": 600.0,
        "status": "resolved",
        "assignee": None,
        "text": """Subject: Notice: Received Intellectual Property Complaint (Copyright) - Amazon.co.uk

Hello,

We removed the listing below because we received a report from a rights owner that it uses their copyrighted images without permission.

Rights owner: Fernhill Photography Ltd
Rights owner contact: rights@fernhill-photo.example.com
Infringement type: Copyright
Copyrighted work: product lifestyle photographs, "Kitchen Collection 2024"

Why is this happening?
The images on the detail page below match images owned by the rights owner.

How do I reactivate my listing?
Replace the images with photographs you own or are licensed to use, then contact the rights owner to ask for a retraction. If you hold a licence, send it through Account Health > Received Intellectual Property Complaints > Appeal.

ASIN: B0B2XE7NQF
Title: Brightwater Bamboo Cutting Board Set, 3 Pieces, with Juice Groove
Complaint ID: 2207743681

Regards,
Seller Performance Team""",
    },
    # ------------------------------------------------------------------ Copperleaf Kitchen
    # food and product safety (expired items), high; "within 17 days"
    {
        "account": "Copperleaf Kitchen",
        "marketplace": "US",
        "hours_ago": 10.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Food and product safety issue - expired items reported by customers

Hello,

We have received customer complaints that the product below was delivered expired or close to its expiration date. Under our Food and Grocery policy, items must have at least 90 days of shelf life remaining when they reach the customer.

What actions have we taken?
We have removed the listing and placed the affected inventory on hold.

How do I send the required information?
Send the following through Account Health > Food and Product Safety Issues > Appeal:
- lot numbers and expiration dates for the units you currently hold;
- a description of how you rotate stock (first-expired, first-out);
- a plan of action to prevent expired items from being shipped.

What happens if I do not send the required information?
If we do not receive the information within 17 days, the listing will remain removed and we may take further action on your account.

ASIN: B0CQ8LT2XH
Title: Copperleaf Organic Smoked Paprika, 4 oz Tin
SKU: CK-SPICE-PAP-4
Complaint ID: 1649027735

Sincerely,
Seller Performance Team""",
    },
    # received IP complaint: counterfeit (forwarded), high
    {
        "account": "Copperleaf Kitchen",
        "marketplace": "US",
        "hours_ago": 1.5,
        "status": "new",
        "assignee": None,
        "text": """Subject: Fwd: Notice: Received Intellectual Property Complaint (Counterfeit)

FYI, another one on the knife block. Same rights owner as last month.

-----Original Message-----
From: Amazon Seller Performance <seller-performance@amazon.com>
To: notices@copperleaf.example.com
Subject: Notice: Received Intellectual Property Complaint (Counterfeit)

Dear Seller,

We removed your listing because a rights owner reported that the product you are selling is counterfeit.

Rights owner: Hartwell Cutlery Co.
Rights owner email: brandprotection@hartwell.example.com
Infringement type: Counterfeit
Trademark number: 5589013

Why is this happening?
Selling counterfeit products is prohibited. The rights owner states that they have not authorized your supply chain.

How do I reactivate my listing?
Send invoices from your supplier dated within the last 365 days for the units you sold, or ask the rights owner to retract the complaint. Repeated counterfeit complaints may lead to the deactivation of your account.

ASIN: B0D6GM1VZR
Title: Hartwell 14-Piece German Steel Knife Block Set, Walnut
SKU: CK-KNIFE-HW14
Complaint ID: 9934105827

Sincerely,
Seller Performance Team""",
    },
    # order defect rate, high
    {
        "account": "Copperleaf Kitchen",
        "marketplace": "US",
        "hours_ago": 40.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Action required: Order Defect Rate above 1% on Amazon.com

Hello,

Your Order Defect Rate is 2.1% for orders shipped in the last 60 days. Amazon requires sellers to keep this rate below 1%.

Defects in this period:
- Negative feedback: 6
- A-to-z Guarantee claims: 3
- Chargeback claims: 1

Why is this happening?
Most of the claims mention items arriving broken. Packaging for glass and ceramic products must protect the item during transit.

How do I send the required information?
Submit a plan of action from the Account Health page explaining what caused the defects and how you will prevent them. If your ODR stays above the target, your account may be deactivated.

Order ID: 114-3397520-6681204
Order ID: 112-7045813-2209937
Order ID: 113-9158826-4470153
Order ID: 111-2640097-8853316

Seller Performance Team
Amazon.com""",
    },
    # account under review / at risk (72 h), critical; received 50 h ago -> due in about 22 h
    {
        "account": "Copperleaf Kitchen",
        "marketplace": "US",
        "hours_ago": 50.0,
        "status": "in_progress",
        "assignee": "dev",
        "text": """Subject: Your Amazon.com account is under review

Hello,

We are reviewing your selling account because of recent changes to your business information. Your account remains active during this review, but it is at risk of deactivation.

Why is this happening?
The business address and the bank account holder name on your account no longer match the documents you provided during seller identity verification.

How do I send the required information?
Within 72 hours, upload the following through Account Health > Account Verification:
- a government-issued ID for the primary contact person;
- a bank or credit card statement issued in the last 180 days showing the business name and address;
- a business registration document.

What happens if I do not send the required information?
If we do not receive the documents within 72 hours, your account will be deactivated, and your funds may be held until verification is complete.

Sincerely,
Seller Performance Team""",
    },
    # restricted products (children's products, CPC), high; explicit date
    {
        "account": "Copperleaf Kitchen",
        "marketplace": "US",
        "hours_ago": 7.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Restricted Products: compliance documents required for children's products

Dear Seller,

The products below are in a category that requires additional safety documentation. Children's products sold on Amazon.com must have a Children's Product Certificate (CPC) and test reports from a CPSC-accepted laboratory.

Why is this happening?
Your listings are marked as suitable for children ages 3 and up, which places them in the Children's Products category.

How do I send the required information?
Upload the CPC and the laboratory test reports through Manage Your Compliance in Seller Central by December 3, 2026.

What happens if I do not send the required information?
If we do not receive the documents by December 3, 2026, we will remove the listings below. Removed listings can be reinstated once valid documents are provided.

ASIN: B0CV3RA6JM
Title: Copperleaf Kids Baking Set, 12 Pieces, Silicone, Pastel
SKU: CK-KIDS-BAKE-12

ASIN: B0CV3RB1PQ
Title: Copperleaf Junior Chef Apron and Hat, Ages 3-8
SKU: CK-KIDS-APRON

Regards,
Seller Performance Team""",
    },
    # late shipment rate, high
    {
        "account": "Copperleaf Kitchen",
        "marketplace": "US",
        "hours_ago": 180.0,
        "status": "read",
        "assignee": None,
        "text": """Subject: Late shipment rate warning for your Amazon.com account

Hello,

Your late shipment rate over the last 10 days is 5.6%. Our target for late shipment rate is under 4%.

Why is this happening?
26 of your 465 seller-fulfilled orders were confirmed as shipped after the expected ship date. Most of these orders were placed over the weekend, when your handling time does not allow for processing.

How do I fix this?
- Set your handling time so that orders placed on Friday evening can ship on time.
- Use Buy Shipping: if the carrier is delayed after you bought the label on time, the order is not counted as late.
- Confirm shipment on the day the package is handed to the carrier.

Order ID: 112-4490271-3365810
Order ID: 114-6677139-0028451
Order ID: 111-5813306-7741982

Sincerely,
Seller Performance Team""",
    },
    # customer reviews policy, high
    {
        "account": "Copperleaf Kitchen",
        "marketplace": "US",
        "hours_ago": 250.0,
        "status": "in_progress",
        "assignee": "maria",
        "text": """Subject: Your account has violated the Customer Product Reviews policy

Hello,

We have detected activity on your account that violates our Customer Product Reviews policy. Reviews on the ASIN below were written by accounts related to your business, or by customers who received free products from you in exchange for a review outside the Amazon Vine program.

Why is this happening?
Sellers may not review their own products, ask friends, family or employees to review them, or offer incentives for reviews.

What actions have we taken?
We have removed 37 reviews from the listing below. If this violation is repeated, we may permanently withhold your payments and remove your selling privileges.

How do I appeal?
Submit an appeal through Account Health with a plan of action explaining how these reviews were created and what controls you will put in place.

ASIN: B0C9WD4KTE
Title: Copperleaf Enameled Cast Iron Dutch Oven, 5.5 Qt, Cherry Red
SKU: CK-DUTCH-55-RED

Sincerely,
Community Trust Team""",
    },
    # listing removal (missing Prop 65 warning), medium
    {
        "account": "Copperleaf Kitchen",
        "marketplace": "US",
        "hours_ago": 360.0,
        "status": "read",
        "assignee": None,
        "text": """Subject: Listings removed: missing Proposition 65 warning

Hello,

We have removed the listings below from Amazon.com because they are missing a required California Proposition 65 warning, or the warning provided does not match your product records.

How do I reactivate my listings?
Add the Prop 65 warning in the Compliance section of each listing and check that the product label shows the same warning. Once the information is updated, the listings will be reviewed and reactivated, usually in 2 business days.

No appeal is required for this notification.

ASIN: B0BK7NS3GD
Title: Copperleaf Hammered Copper Moscow Mule Mugs, 16 oz, Set of 4
SKU: CK-MULE-4PK

ASIN: B0BK7NT9XC
Title: Copperleaf Brass Cocktail Shaker, 24 oz
SKU: CK-SHAKER-24

Sincerely,
Seller Performance Team""",
    },
    # Account Health Rating red, critical
    {
        "account": "Copperleaf Kitchen",
        "marketplace": "US",
        "hours_ago": 470.0,
        "status": "resolved",
        "assignee": "dev",
        "text": """Subject: Account Health Rating: action required to avoid deactivation

Dear Seller,

Your Account Health Rating is currently 62, which is in the red (99 or below). Accounts with a rating below 100 may be deactivated beginning 7 days from today.

What is affecting my rating?
- Received Intellectual Property Complaints: 2 (high impact)
- Restricted Product Policy Violations: 1
- Listing Policy Violations: 1

How do I avoid deactivation?
Address each open violation from the Account Health page. Violations that you resolve or successfully appeal are removed from your rating. You can also contact the Account Health Support team from the Account Health page for help with your plan of action.

We recommend that you act now. Your rating is recalculated daily.

Sincerely,
Account Health Team""",
    },
    # product condition complaint, medium
    {
        "account": "Copperleaf Kitchen",
        "marketplace": "US",
        "hours_ago": 520.0,
        "status": "read",
        "assignee": None,
        "text": """Subject: Product condition complaints received for your listings

Hello,

Customers have told us that items they received from you were not in the condition described. Items sold as New must be unused, unopened and in the original manufacturer packaging.

Why is this happening?
The complaints mention scratched non-stick coating and missing lids on the items below.

What should I do?
Review your listings and inventory. Make sure customer returns are inspected before they are sold again, and that damaged items are listed in the correct condition or removed.

If we continue to receive complaints, we may remove your listings.

ASIN: B0D0PJ5XWE
Title: Copperleaf Nonstick Frying Pan Set, 8 and 10 Inch, Induction Ready
Complaint ID: 3087651294

ASIN: B0D0PJ7MGC
Title: Copperleaf Stainless Saucepan with Glass Lid, 2 Qt
Complaint ID: 3087651309

Thank you,
Seller Performance Team""",
    },
    # informational: policy update announcement, low
    {
        "account": "Copperleaf Kitchen",
        "marketplace": "US",
        "hours_ago": 800.0,
        "status": "dismissed",
        "assignee": None,
        "text": """Subject: Important update to Amazon.com FBA inventory and fee policies

Dear Seller,

We are writing to let you know about updates to Fulfillment by Amazon (FBA) policies that take effect on January 15, 2027.

What is changing?
- The low-inventory-level fee will not apply to products with fewer than 20 units sold in the past 90 days.
- Inbound placement service options will show estimated fees before you confirm a shipment plan.

Do I need to do anything?
No action required. You can review your fee preview reports in Seller Central at any time.

For more information, see the FBA fee changes page in Seller Central Help.

Sincerely,
Amazon Selling Partner Services""",
    },
    # ------------------------------------------------------------------ Alto Mesa Supply
    # account deactivated, critical
    {
        "account": "Alto Mesa Supply",
        "marketplace": "MX",
        "hours_ago": 8.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Your Amazon.com.mx selling account has been deactivated

Dear Seller,

Your Amazon.com.mx selling account has been deactivated, and the funds in your account have been placed on hold. Your listings are no longer available to customers.

Why is this happening?
We previously notified you of a violation of our Restricted Products policy for the item below, which was listed as a food product without the required COFEPRIS sanitary notice. We did not receive an acceptable appeal.

How do I reactivate my account?
Submit an appeal through Account Health that explains:
1. what caused the issue;
2. what you have done to resolve it;
3. what steps you have taken to prevent it happening again.
Include the COFEPRIS documentation for the product and supplier invoices dated within the last 365 days.

What happens to my funds?
Funds will remain on hold while your account is under review.

ASIN: B0CP2HX7UN
Title: Alto Mesa Café de Olla Molido, 500 g
Complaint ID: 6620148953

Sincerely,
Seller Performance Team
Amazon.com.mx""",
    },
    # pre-fulfillment cancel rate, high
    {
        "account": "Alto Mesa Supply",
        "marketplace": "US",
        "hours_ago": 16.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Pre-fulfillment Cancel Rate above target

Hello,

Your Pre-fulfillment Cancel Rate over the last 7 days is 4.4%, which is above our target of 2.5%.

Why is this happening?
This rate is the number of seller-fulfilled orders cancelled by you before shipment, divided by all seller-fulfilled orders in the period. You cancelled 11 of 250 orders.

How can I reduce cancellations?
- Update your inventory quantities frequently, especially if you sell on other channels.
- Close offers you cannot fulfill in Manage Inventory rather than cancelling orders.

A cancel rate above 2.5% may result in the deactivation of your account.

Order ID: 111-0932187-5426039
Order ID: 113-4458106-9917325
Order ID: 114-2871954-3306618
Order ID: 112-9903217-1175480
Order ID: 111-6647730-8852014

Seller Performance Team
Amazon.com""",
    },
    # product authenticity complaint, high; "within 17 days", invoices from the last 365 days
    {
        "account": "Alto Mesa Supply",
        "marketplace": "US",
        "hours_ago": 28.0,
        "status": "new",
        "assignee": None,
        "text": """Subject: Product authenticity complaint - supplier invoices requested

Dear Seller,

We received a customer complaint that the item below is not authentic. We have temporarily removed your offer.

How do I send the required information?
To reinstate your listing, send us within 17 days:
- invoices or receipts from your supplier, issued in the last 365 days, covering at least the units sold in that period;
- the supplier's name, address, phone number and website;
- a letter of authorization from the manufacturer, if you have one.
Attach the documents in Account Health > Product Authenticity Customer Complaints > Appeal. We do not accept order confirmations, pro forma invoices or documents from other Amazon sellers.

What happens if I do not send the required information?
Your listing will stay removed, and further complaints may result in the deactivation of your account.

ASIN: B0C4FZ9QLW
Title: TrailForge Cast Iron Camp Skillet, 12 in, Pre-Seasoned
SKU: AM-US-TF-SKL12
Complaint ID: 7185520463

Regards,
Seller Performance Team""",
    },
    # policy warning (reference price), low/medium, forwarded
    {
        "account": "Alto Mesa Supply",
        "marketplace": "US",
        "hours_ago": 0.4,
        "status": "new",
        "assignee": None,
        "text": """Subject: Fwd: Policy Warning

Heads up - first warning on the camp stove listing. No action taken yet, but let's fix the list price today.
Lucia

Begin forwarded message:

From: "Amazon Seller Performance" <seller-performance@amazon.com>
Subject: Policy Warning

Hello,

This is a policy warning. We found that the List Price shown on the offer below does not meet our Reference Price policy. A List Price must be a price at which the item has recently and regularly been offered.

Why is this happening?
The List Price of $189.99 is more than twice the highest price at which the item has sold on Amazon in the last 90 days.

What happens next?
No action has been taken on your listing. If the violation continues, we may remove the List Price or deactivate your offer.

ASIN: B0BW6TK2DA
Title: Alto Mesa Two-Burner Propane Camp Stove, Foldable
SKU: AM-US-STOVE-2B

Thank you,
Seller Performance Team""",
    },
    # listing removal (hazmat review), medium
    {
        "account": "Alto Mesa Supply",
        "marketplace": "US",
        "hours_ago": 75.0,
        "status": "in_progress",
        "assignee": "lucia",
        "text": """Subject: Listings removed: missing hazmat information

Hello,

We have removed the listings below from Amazon.com because they may be classified as dangerous goods (hazmat) and the required Safety Data Sheet (SDS) is missing.

Why is this happening?
The products contain a pressurized flammable gas. Hazmat products must have a valid SDS and accurate hazmat attributes before they can be sold or sent to a fulfillment center.

How do I reactivate my listings?
Upload an SDS for each ASIN through Manage Your Compliance > Hazmat Review. The SDS must show the exact product name and be less than 5 years old. Reviews usually take up to 3 business days.

ASIN: B0BW6TM8RF
Title: Alto Mesa Butane Fuel Canister, 8 oz, 4 Pack
SKU: AM-US-BUT-4PK

ASIN: B0CA1HY4QJ
Title: Alto Mesa Isobutane Camping Gas Mix, 230 g
SKU: AM-US-ISO-230

Sincerely,
Amazon Dangerous Goods Team""",
    },
    # late shipment rate, high
    {
        "account": "Alto Mesa Supply",
        "marketplace": "MX",
        "hours_ago": 140.0,
        "status": "read",
        "assignee": None,
        "text": """Subject: Late shipment rate warning on Amazon.com.mx

Dear Seller,

Your late shipment rate on Amazon.com.mx is 7.2% over the last 30 days. Our target is under 4%.

Why is this happening?
Orders were confirmed as shipped after the expected ship date. Many were confirmed 2 to 3 days late, which suggests that your handling time is shorter than your actual processing time.

What should I do?
Increase your handling time in Shipping Settings if needed, and confirm orders as shipped on the same day they leave your warehouse. A late shipment rate above 4% can result in the deactivation of your selling privileges.

Order ID: 701-3380214-7729046
Order ID: 702-6651873-0014597
Order ID: 701-8829301-4463712

Regards,
Seller Performance Team
Amazon.com.mx""",
    },
    # account security (deposit method changed by the team itself), low
    {
        "account": "Alto Mesa Supply",
        "marketplace": "US",
        "hours_ago": 36.0,
        "status": "dismissed",
        "assignee": None,
        "text": """Subject: Your deposit method was updated

Hello,

We are writing to confirm that the deposit method for your Amazon.com seller account was updated.

New bank account: ending in 0931
Account holder: Alto Mesa Supply LLC

If you made this change, no action is required. Your next disbursement will be sent to the new account after a 3-day security hold.

If you did not make this change, your account may have been compromised. Please:
- reset your password immediately;
- turn on Two-Step Verification for every user;
- contact Seller Support from Help > Contact Us and report unauthorized access.

Amazon will never send you an email asking you to confirm your bank details through a link.

Sincerely,
Amazon Seller Account Security""",
    },
    # other policy violations (drop shipping), high; "within 72 hours" (appeal already sent)
    {
        "account": "Alto Mesa Supply",
        "marketplace": "US",
        "hours_ago": 230.0,
        "status": "appealed",
        "assignee": "lucia",
        "text": """Subject: Policy violation: Drop Shipping policy

Hello,

We have received customer complaints that packages from your account included packing slips and invoices that identify another seller. This violates our Drop Shipping policy.

Why is this happening?
If you use a fulfillment partner, you must be the seller of record, and your name must be the only seller name on packing slips, invoices and external packaging. You are also responsible for accepting and processing returns.

What actions have we taken?
This violation has been recorded on your Account Health page under Other Policy Violations.

How do I appeal?
Within 72 hours, submit a plan of action that explains the root cause, the steps you have taken to remove third-party branding, and how you will monitor your fulfillment partner.

Order ID: 113-1208934-5567021
Order ID: 112-8843016-2209748

ASIN: B0C8NE3VKT
Title: Alto Mesa Insulated Camping Mug, 16 oz, Desert Tan

Sincerely,
Seller Performance Team""",
    },
    # suspected IP violation, high
    {
        "account": "Alto Mesa Supply",
        "marketplace": "US",
        "hours_ago": 440.0,
        "status": "appealed",
        "assignee": None,
        "text": """Subject: Notice: Suspected Intellectual Property Violations

Dear Seller,

We removed the listing below because it may be infringing the intellectual property rights of others. This action was taken by our systems, not because of a complaint from a rights owner.

Why is this happening?
The listing uses the words "compatible with Campwell" in the title in a way that may suggest a brand affiliation.

How do I reactivate my listing?
Edit the listing to remove the brand reference, then click Appeal in Account Health and confirm the change. If you are authorized to use the brand name, provide a letter of authorization or a trademark registration.

What happens if I do not act?
The listing will remain removed, and the violation may affect your Account Health Rating.

ASIN: B0BR2GQ6HZ
Title: Alto Mesa Replacement Lantern Mantles, Compatible with Campwell, 10 Pack
SKU: AM-US-MANTLE-10

Sincerely,
Seller Performance Team""",
    },
    # listing policy (inaccurate detail page), medium
    {
        "account": "Alto Mesa Supply",
        "marketplace": "US",
        "hours_ago": 620.0,
        "status": "resolved",
        "assignee": "lucia",
        "text": """Subject: Listing Policy Violation: detail page contains inaccurate information

Hello,

We found that the detail page below contains information that does not match the product you are selling. Our listing policies require detail pages to describe the item accurately, including brand, size, quantity and materials.

Why is this happening?
Customers reported that the tent they received sleeps 2 people, while the title and images show a 4-person tent. Listing a product on the detail page of a different product is not allowed.

What actions have we taken?
We have removed your offer from this detail page. The detail page itself remains available.

How do I reactivate my listing?
Create a new listing for your product or match your offer to the correct detail page, then request reinstatement through Account Health.

ASIN: B0C3VH8ZMK
Title: Alto Mesa 4-Person Dome Tent, Waterproof, Easy Setup
SKU: AM-US-TENT-4P

Sincerely,
Seller Performance Team""",
    },
]

# ---------------------------------------------------------------------------- appeal texts
#
# Parts of Plans of Action for the large benchmark database (`flagdesk demo --size large`). An appeal is
# drawn as two or three root-cause sentences, three or four actions and three preventive steps, with the
# placeholders filled in ({asin}, {order}, {supplier}, {person}, {tool}, {n}, {date}, {day}), so that
# appeals share phrasing the way a team's appeals do, without two being the same. The 48 notices above
# and their order are unchanged.

APPEAL_ROOT_CAUSES = [
    "The complaint about {asin} came from a batch of {n} units we bought from {supplier}, a wholesaler that was "
    "not an authorized distributor of the brand; our purchasing checklist compared prices only and never asked "
    "for an authorization letter.",
    "Order {order} shipped from a pallet that had been relabelled in our warehouse after a flood on {date}; the "
    "outer cartons were replaced and nobody checked that the inner packaging matched the brand's specification.",
    "Our listing for {asin} used the brand name in the title because a new catalogue assistant copied the "
    "supplier's product feed without reading our trademark guideline, which was never part of onboarding.",
    "The late shipments started when our carrier moved the daily pickup from 16:00 to 13:00 on {date} and we kept "
    "the old same-day cut-off in Seller Central, so orders placed after noon missed the truck for {n} days.",
    "Customers received an older version of {asin} because two SKUs shared one bin in our warehouse and the pick "
    "list did not show the revision letter printed on the box.",
    "We sold {asin} without the required safety documents because our compliance review only covered new brands, "
    "and this product came from an existing brand that added a children's range in {day}.",
    "The negative feedback followed a change of packaging supplier: the new mailer bags from {supplier} tore in "
    "transit, and we only noticed after {n} customers had written to us about damaged items.",
    "Our valid tracking rate dropped because {person} in the dispatch team entered tracking numbers by hand for a "
    "regional carrier that is not integrated with our shipping software, and {n} numbers had typing errors.",
    "The restricted product was listed because our listing tool applied a bulk template that copied the "
    "ingredient list from a similar item, so the detail page claimed an ingredient that needs approval.",
    "The policy warning came from an insert card in the box asking for a five-star review in exchange for a "
    "discount code; marketing added it in {day} without a compliance check.",
    "The invoice we first sent could not be verified because {supplier} had changed its company name and address, "
    "and the letterhead no longer matched the public business registry.",
    "We cancelled {n} orders before shipment because our inventory sync with the warehouse failed silently for "
    "two days after a software update on {date}, so Seller Central showed stock we no longer had.",
]

APPEAL_ACTIONS = [
    "We removed the remaining {n} units of {asin} from sale and created a removal order for disposal, completed "
    "on {date}.",
    "We contacted the buyer of order {order}, apologised and refunded the order in full, including shipping.",
    "We audited every purchase of the last 12 months: all other stock of {asin} comes from {supplier}, the brand's "
    "authorized distributor, and we attach their invoices.",
    "We corrected the title and bullet points of {asin} and of {n} related listings, and removed every reference "
    "to other brands.",
    "We changed the handling time and the shipping template to the carrier's new 13:00 pickup on {date}.",
    "We inspected all {n} units in stock against the brand's packaging specification and quarantined the ones "
    "that did not match.",
    "We obtained the Children's Product Certificate and the test report from an accepted laboratory and uploaded "
    "both in Manage Your Compliance on {date}.",
    "We replaced the mailer bags with double-wall cartons from a second supplier and re-shipped every damaged "
    "order at our cost.",
    "We connected the regional carrier to {tool}, so tracking numbers are now uploaded automatically and never "
    "typed by hand.",
    "We withdrew the insert cards from all inventory, including {n} units at the fulfilment centre, and destroyed "
    "them.",
    "We asked {supplier} for a new invoice on its current letterhead, with its registration number, and verified "
    "the address with the registry before sending it.",
    "We rebuilt the inventory sync, added an alert when it has not run for 30 minutes and reconciled every SKU by "
    "hand on {date}.",
    "We trained {person} and the rest of the catalogue team on the listing and intellectual property policies "
    "in a two-hour session on {date}.",
]

APPEAL_PREVENTIVE = [
    "Our purchasing manager approves a new supplier only after receiving a letter of authorization from the "
    "brand owner, checked against the brand's published distributor list.",
    "{person} inspects {n}% of every inbound shipment against the brand's packaging specification and records "
    "the result in {tool}.",
    "Every Monday our compliance officer reviews the Account Health page and the Returns Report for "
    "authenticity-related comments and follows up within 2 days.",
    "Every new or edited listing is checked by a second person against our trademark checklist before it goes "
    "live; {person} signs off each week's list.",
    "{tool} alerts the dispatch lead when an order is within 4 hours of its ship-by time, and the lead reviews "
    "the carrier cut-offs on the first day of each month.",
    "Each bin holds a single SKU and revision, and the pick list prints the revision letter; {person} audits "
    "20 bins every Friday.",
    "Before any product range is added, {person} reviews the category's compliance requirements and files the "
    "documents in {tool} with an expiry reminder.",
    "We run a drop test on every new packaging material before first use and review damage claims every "
    "Wednesday in {tool}.",
    "{tool} compares the tracking rate per carrier every day and notifies {person} when it falls below 98%.",
    "Marketing material that goes inside a parcel needs written approval from {person}, recorded with a date in "
    "{tool}.",
    "We keep each supplier's registration details on file and check them against the public registry every "
    "quarter, the next check being on {date}.",
    "Inventory levels in Seller Central are reconciled with the warehouse every night, and a difference of more "
    "than {n} units opens a ticket for {person}.",
]

APPEAL_FILL = {
    "supplier": ["Brightline Trading", "Voltra Distribution Ltd", "Harbourside Wholesale", "Kestrel Imports",
                 "Marlow & Finch Supply", "Northgate Trade Partners", "Pinecrest Sourcing", "Tidewell Goods"],
    "person": ["our warehouse team lead", "our compliance officer", "Priya, our catalogue manager",
               "the dispatch lead", "Tomasz from quality control", "our operations manager",
               "Amara, who runs purchasing", "the account health owner"],
    "tool": ["our receiving spreadsheet", "ShipStation", "the compliance tracker in Airtable", "our WMS",
             "a shared Google Sheet", "Linnworks", "the team's Jira board", "Veeqo"],
    "day": ["January", "March", "May", "July", "September", "October", "November"],
}

# Words an operator changes between revisions of the same appeal (the next revision swaps one pair).
APPEAL_EDITS = [
    ("We removed", "We have removed"), ("every", "each"), ("checked", "verified"), ("contacted", "wrote to"),
    ("reviews", "goes through"), ("new", "recently added"), ("all", "every one of the"), ("because", "as"),
    ("units", "items"), ("weekly", "every week"), ("approves", "signs off"), ("alerts", "warns"),
]
